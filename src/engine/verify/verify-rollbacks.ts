/**
 * The rollback stairway, on a shadow database (never the target): for each migration in order,
 * fingerprint → up → fingerprint A → down → must equal the first → up → must equal A. A difference
 * is explained by introspecting both states in full (the earlier one rebuilt by replaying the
 * migrations before it); after any failure the shadow is rebuilt to "everything up to here applied"
 * so the climb goes on. A failing `up` stops it: the migrations after it cannot be reached.
 */
import type { Knex } from 'knex';
import type { SchemaChange, SchemaSnapshot } from '../../shared/schema';
import type { RollbackCheck, VerifyDifference, VerifyRollbacksReport } from '../../shared/verify';
import type { ConnectionTarget } from '../connection/connection-target';
import { messageOf } from '../errors';
import type { LoadedMigration } from '../migrations/load-migration';
import { diffSchemas, introspectSchema } from '../schema';
import { type ShadowDatabase, loadProjectMigrations, withShadowDatabase } from '../shadow';
import { schemaFingerprint } from './schema-fingerprint';

export interface VerifyRollbacksOptions {
  /** `--shadow <url>`: an empty database to use instead of a temporary one. */
  shadowUrl?: string;
  /** Only the migrations up to and including this one. */
  to?: string;
  onLog?: (message: string) => void;
  /** Called as each migration's check starts. */
  onMigration?: (name: string, index: number, total: number) => void;
}

type Outcome = { ok: true } | { ok: false; error: unknown };

async function run(knex: Knex, migration: LoadedMigration, direction: 'up' | 'down'): Promise<Outcome> {
  try {
    if (migration.transactional === false) await migration[direction](knex);
    else await knex.transaction(async (trx) => migration[direction](trx));
    return { ok: true };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Differences from `before` to `after`, in the stairway's words. */
export function differencesOf(before: SchemaSnapshot, after: SchemaSnapshot): VerifyDifference[] {
  return diffSchemas(before, after).changes.map((c: SchemaChange) => ({
    kind: c.kind,
    name: c.name,
    change: c.change === 'added' ? 'left-behind' : c.change === 'removed' ? 'missing' : 'changed',
    ...(c.fields ? { fields: c.fields } : {}),
  }));
}

function describe(differences: VerifyDifference[]): string {
  const by = (change: VerifyDifference['change']) => differences.filter((d) => d.change === change).map((d) => `${d.kind} ${d.name}`);
  const parts = [
    by('left-behind').length ? `leaves behind ${by('left-behind').join(', ')}` : '',
    by('missing').length ? `does not bring back ${by('missing').join(', ')}` : '',
    by('changed').length ? `leaves changed ${by('changed').join(', ')}` : '',
  ].filter(Boolean);
  return parts.join('; ') || 'the schema differs';
}

/** Verifies every migration of the target's project (or up to `to`) on a shadow database. */
export async function verifyRollbacks(target: ConnectionTarget, options: VerifyRollbacksOptions = {}): Promise<VerifyRollbacksReport> {
  const started = performance.now();
  const migrations = await loadProjectMigrations(target.profile.migrations, options.to);
  return withShadowDatabase({ server: target, shadowUrl: options.shadowUrl, protect: [target], purpose: 'verify', onLog: options.onLog }, async (shadow) => {
    const checks: RollbackCheck[] = [];
    const notChecked: string[] = [];
    let before = await schemaFingerprint(shadow.knex);
    for (const [i, migration] of migrations.entries()) {
      options.onMigration?.(migration.name, i, migrations.length);
      const t0 = performance.now();
      const check = (result: RollbackCheck['result'], message: string, differences: VerifyDifference[] = []): RollbackCheck => ({
        migration: migration.name,
        name: migration.name,
        result,
        message,
        differences,
        checksum: migration.checksum,
        durationMs: performance.now() - t0,
      });
      const up = await run(shadow.knex, migration, 'up');
      if (!up.ok) {
        checks.push(check('up-failed', `up failed: ${messageOf(up.error)}`));
        notChecked.push(...migrations.slice(i + 1).map((m) => m.name));
        break;
      }
      const applied = await schemaFingerprint(shadow.knex);
      const down = await run(shadow.knex, migration, 'down');
      if (!down.ok) {
        checks.push(check('down-failed', `down failed: ${messageOf(down.error)}`));
        // A transactional down rolled back: the shadow is as after up. Otherwise rebuild it.
        if (migration.transactional === false || (await schemaFingerprint(shadow.knex)) !== applied) await rebuild(shadow, migrations, i);
        before = applied;
        continue;
      }
      if ((await schemaFingerprint(shadow.knex)) !== before) {
        const afterDown = await introspectSchema(shadow.knex);
        const start = await rebuild(shadow, migrations, i - 1, true);
        const differences = differencesOf(start!, afterDown);
        checks.push(check('not-reversible', `down ${describe(differences)}.`, differences));
        before = await applyOrRebuild(shadow, migrations, i);
        continue;
      }
      const again = await run(shadow.knex, migration, 'up');
      if (!again.ok) {
        checks.push(check('re-up-failed', `up failed the second time, after down: ${messageOf(again.error)}`));
        before = await applyOrRebuild(shadow, migrations, i, true);
        continue;
      }
      const reapplied = await schemaFingerprint(shadow.knex);
      if (reapplied !== applied) {
        const second = await introspectSchema(shadow.knex);
        const first = await rebuild(shadow, migrations, i, true);
        const differences = differencesOf(first!, second);
        checks.push(check('re-up-failed', `up after down gives a different schema than the first up: ${describe(differences)}.`, differences));
        before = applied;
        continue;
      }
      checks.push(check('ok', 'rollback verified'));
      before = applied;
    }
    return {
      ok: notChecked.length === 0 && checks.every((c) => c.result === 'ok'),
      migrations: checks,
      notChecked,
      shadow: shadow.description,
      verifiedAt: new Date().toISOString(),
      durationMs: performance.now() - started,
    };
  });
}

/** Empties the shadow and applies migrations 0…upTo; returns the schema then when asked. */
async function rebuild(shadow: ShadowDatabase, migrations: LoadedMigration[], upTo: number, introspect = false): Promise<SchemaSnapshot | null> {
  await shadow.reset();
  for (const migration of migrations.slice(0, upTo + 1)) {
    const outcome = await run(shadow.knex, migration, 'up');
    if (!outcome.ok) throw outcome.error;
  }
  return introspect ? introspectSchema(shadow.knex) : null;
}

/** After a failed check of migration `i`: bring the shadow to "0…i applied" (up again, or from scratch) and fingerprint it. */
async function applyOrRebuild(shadow: ShadowDatabase, migrations: LoadedMigration[], i: number, fromScratch = false): Promise<string> {
  const up = fromScratch ? ({ ok: false } as Outcome) : await run(shadow.knex, migrations[i], 'up');
  if (!up.ok) await rebuild(shadow, migrations, i);
  return schemaFingerprint(shadow.knex);
}
