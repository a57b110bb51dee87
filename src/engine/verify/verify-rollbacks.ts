/**
 * The rollback stairway, on a shadow database (never the target): for each migration in order,
 * fingerprint → up → fingerprint A → down → must equal the first → up → must equal A.
 * Transactional migrations climb inside one transaction per batch, each step behind a savepoint:
 * a failed or differing step is undone by rolling back to its savepoint (and explained by
 * introspecting both states), so the climb goes on without rebuilding anything. Non-transactional
 * migrations run on their own; after their failures the shadow is rebuilt from scratch. A failing
 * `up` stops the climb: the migrations after it cannot be reached.
 */
import type { Knex } from 'knex';
import type { EngineContext } from '../engine-context';
import type { SchemaChange, SchemaSnapshot } from '../../shared/schema';
import type { RollbackCheck, VerifyDifference, VerifyRollbacksReport } from '../../shared/verify';
import type { ConnectionTarget } from '../connection/connection-target';
import { messageOf } from '../errors';
import type { LoadedMigration } from '../migrations/load-migration';
import { diffSchemas, introspectSchema } from '../schema';
import { type ShadowDatabase, loadProjectMigrations, withShadowDatabase } from '../shadow';
import { SchemaFingerprinter } from './schema-fingerprint';

export interface VerifyRollbacksOptions {
  /** `--shadow <url>`: an empty database to use instead of a temporary one. */
  shadowUrl?: string;
  /** Only the migrations up to and including this one. */
  to?: string;
  onLog?: (message: string) => void;
  /** Called as each migration's check starts. */
  onMigration?: (name: string, index: number, total: number) => void;
  /** The engine's identity, clock and memos (a fresh context when a test calls this directly). */
  context?: EngineContext;
  /** How a temporary shadow is dropped (ShadowOptions.drop): the command line answers without waiting for the server's checkpoint. */
  shadowDrop?: 'wait' | 'background';
}

/** Migrations climbed per transaction: bounds the locks one transaction holds (each new table takes several). */
const BATCH = 50;

/** The savepoint each in-transaction step starts behind. */
const STEP = 'stepstone_step';

type Outcome = { ok: true } | { ok: false; error: unknown };

async function attempt(fn: () => unknown): Promise<Outcome> {
  try {
    await fn();
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

type Check = (result: RollbackCheck['result'], message: string, differences?: VerifyDifference[]) => RollbackCheck;

/** Verifies every migration of the target's project (or up to `to`) on a shadow database. */
export async function verifyRollbacks(target: ConnectionTarget, options: VerifyRollbacksOptions = {}): Promise<VerifyRollbacksReport> {
  const started = performance.now();
  const migrations = await loadProjectMigrations(target.profile.migrations, options.to);
  return withShadowDatabase({ server: target, shadowUrl: options.shadowUrl, protect: [target], purpose: 'verify', onLog: options.onLog, context: options.context, drop: options.shadowDrop }, async (shadow) => {
    const checks: RollbackCheck[] = [];
    const notChecked: string[] = [];
    const climb = new Climb(shadow, migrations);
    try {
      let before = await climb.fingerprint(shadow.knex);
      for (const [i, migration] of migrations.entries()) {
        options.onMigration?.(migration.name, i, migrations.length);
        const t0 = performance.now();
        const check: Check = (result, message, differences = []) => ({
          migration: migration.name,
          name: migration.name,
          result,
          message,
          differences,
          checksum: migration.checksum,
          durationMs: performance.now() - t0,
        });
        const step = migration.transactional === false ? await climb.outsideTransaction(i, before, check) : await climb.inTransaction(i, before, check);
        checks.push(step.check);
        if (step.stop) {
          notChecked.push(...migrations.slice(i + 1).map((m) => m.name));
          break;
        }
        before = step.after;
      }
    } finally {
      await climb.finish();
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

interface StepResult {
  check: RollbackCheck;
  /** The fingerprint with everything up to this migration applied. */
  after: string;
  /** Its up failed: the climb cannot go on. */
  stop?: boolean;
}

/** The shadow's open transaction (if any) and how to step with it. */
class Climb {
  private trx: Knex.Transaction | null = null;
  private inBatch = 0;
  /** The batch holds the last step's savepoint (released by the next step's first query). */
  private stepOpen = false;
  /** Remembers each relation's definitions: a step renders only the relations it changed. */
  private readonly fingerprinter = new SchemaFingerprinter();

  constructor(
    private readonly shadow: ShadowDatabase,
    private readonly migrations: readonly LoadedMigration[],
  ) {}

  fingerprint(knex: Knex): Promise<string> {
    return this.fingerprinter.fingerprint(knex);
  }

  private async open(): Promise<Knex.Transaction> {
    if (this.inBatch >= BATCH) await this.finish();
    this.trx ??= await this.shadow.knex.transaction();
    this.inBatch++;
    return this.trx;
  }

  /** Commits the open transaction, if any. */
  async finish(): Promise<void> {
    const trx = this.trx;
    this.trx = null;
    this.inBatch = 0;
    this.stepOpen = false;
    if (trx && !trx.isCompleted()) await trx.commit();
  }

  /**
   * up → down → up inside the batch's transaction, behind one savepoint set before the first up.
   * One round trip of savepoint work per migration: the previous step's savepoint is released
   * (its work merged into the batch, so savepoints do not nest deeper with every migration) in the
   * same query that sets this one. No savepoint is kept after the first up: the rare failing step
   * goes back to the state after up by rolling back to the start and running up once more.
   */
  async inTransaction(i: number, before: string, check: Check): Promise<StepResult> {
    const migration = this.migrations[i];
    const q = await this.open();
    await q.raw(this.stepOpen ? `release savepoint ${STEP}; savepoint ${STEP}` : `savepoint ${STEP}`);
    this.stepOpen = true;
    const backToStart = () => q.raw(`rollback to savepoint ${STEP}`);
    /** Back to where the first up left it; null when up now fails (then the shadow is back at the start). */
    const backToApplied = async (): Promise<string | null> => {
      await backToStart();
      const again = await attempt(() => migration.up(q));
      if (again.ok) return null;
      await backToStart();
      return messageOf(again.error);
    };
    /** The step's result, the climb going on from the state after the first up (or stopping if that state cannot be had again). */
    const leaveApplied = async (result: RollbackCheck, applied: string): Promise<StepResult> => {
      const failed = await backToApplied();
      if (failed === null) return { check: result, after: applied };
      return { check: { ...result, message: `${result.message} (up then failed when run again to go on: ${failed})` }, after: before, stop: true };
    };
    const up = await attempt(() => migration.up(q));
    if (!up.ok) {
      await backToStart();
      return { check: check('up-failed', `up failed: ${messageOf(up.error)}`), after: before, stop: true };
    }
    const applied = await this.fingerprint(q);
    const down = await attempt(() => migration.down(q));
    if (!down.ok) return leaveApplied(check('down-failed', `down failed: ${messageOf(down.error)}`), applied);
    if ((await this.fingerprint(q)) !== before) {
      const afterDown = await introspectSchema(q);
      await backToStart();
      const differences = differencesOf(await introspectSchema(q), afterDown);
      return leaveApplied(check('not-reversible', `down ${describe(differences)}.`, differences), applied);
    }
    const again = await attempt(() => migration.up(q));
    if (!again.ok) return leaveApplied(check('re-up-failed', `up failed the second time, after down: ${messageOf(again.error)}`), applied);
    if ((await this.fingerprint(q)) !== applied) {
      const second = await introspectSchema(q);
      const failed = await backToApplied();
      const first = failed === null ? await introspectSchema(q) : null;
      const differences = first ? differencesOf(first, second) : [];
      const result = check('re-up-failed', `up after down gives a different schema than the first up: ${first ? describe(differences) : 'the schema differs'}.`, differences);
      return failed === null ? { check: result, after: applied } : { check: { ...result, message: `${result.message} (up then failed when run again to go on: ${failed})` }, after: before, stop: true };
    }
    return { check: check('ok', 'rollback verified'), after: applied };
  }

  /** A migration that opts out of transactions: up → down → up for real; after a failure the shadow is rebuilt. */
  async outsideTransaction(i: number, before: string, check: Check): Promise<StepResult> {
    await this.finish();
    const { knex } = this.shadow;
    const migration = this.migrations[i];
    const up = await attempt(() => migration.up(knex));
    if (!up.ok) return { check: check('up-failed', `up failed: ${messageOf(up.error)}`), after: before, stop: true };
    const applied = await this.fingerprint(knex);
    const down = await attempt(() => migration.down(knex));
    if (!down.ok) {
      if ((await this.fingerprint(knex)) !== applied) await this.rebuild(i);
      return { check: check('down-failed', `down failed: ${messageOf(down.error)}`), after: applied };
    }
    if ((await this.fingerprint(knex)) !== before) {
      const afterDown = await introspectSchema(knex);
      const start = await this.rebuild(i - 1);
      const differences = differencesOf(start, afterDown);
      if (!(await attempt(() => migration.up(knex))).ok) await this.rebuild(i);
      return { check: check('not-reversible', `down ${describe(differences)}.`, differences), after: await this.fingerprint(knex) };
    }
    const again = await attempt(() => migration.up(knex));
    if (!again.ok) {
      await this.rebuild(i);
      return { check: check('re-up-failed', `up failed the second time, after down: ${messageOf(again.error)}`), after: await this.fingerprint(knex) };
    }
    if ((await this.fingerprint(knex)) !== applied) {
      const second = await introspectSchema(knex);
      const first = await this.rebuild(i);
      const differences = differencesOf(first, second);
      return { check: check('re-up-failed', `up after down gives a different schema than the first up: ${describe(differences)}.`, differences), after: applied };
    }
    return { check: check('ok', 'rollback verified'), after: applied };
  }

  /** Empties the shadow and applies migrations 0…upTo as the engine would; returns the schema then. */
  private async rebuild(upTo: number): Promise<SchemaSnapshot> {
    await this.shadow.reset();
    for (const migration of this.migrations.slice(0, upTo + 1)) {
      if (migration.transactional === false) await migration.up(this.shadow.knex);
      else await this.shadow.knex.transaction(async (trx) => migration.up(trx));
    }
    return introspectSchema(this.shadow.knex);
  }
}
