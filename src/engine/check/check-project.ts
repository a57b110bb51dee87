/**
 * `check`: the CI gate. Exit 0 when all is well, else one line per problem: applied files edited
 * or missing, pending files older than the head (out of order), drift on the target database, and
 * with a reference (`--from`/`--from-file`) every difference between the migrations' schema and it
 * — what `generate` would write.
 */
import type { CheckProblem, CheckResult, DesiredSource } from '../../shared/adopt';
import type { MigrationSettings } from '../../shared/profile';
import type { ConnectionTarget } from '../connection/connection-target';
import type { Db } from '../database/open-database';
import type { EngineContext } from '../engine-context';
import { detectDrift } from '../drift/detect-drift';
import { renderSchemaDiff } from '../schema';
import { compareSchemas } from '../generate/compare-schemas';
import { loadProjectMigrations } from '../shadow/apply-migrations';
import { withShadowDatabase } from '../shadow/shadow-database';
import { readStatus } from '../status/get-status';
import { buildMigrationsSchema } from '../adopt/shadow-schemas';
import { desiredSnapshot, prepareSource } from '../generate/desired-schema';
import { StepstoneError } from '../errors';

export interface CheckRequest {
  source?: DesiredSource;
  shadowUrl?: string;
  onProgress?: (message: string) => void;
  onLog?: (message: string) => void;
}

export async function checkProject(ctx: { db: Db | null; settings: MigrationSettings; context?: EngineContext }, request: CheckRequest = {}): Promise<CheckResult> {
  const problems: CheckProblem[] = [];
  const checked: string[] = [];
  if (ctx.db) {
    checked.push('ledger', 'drift');
    const { status } = await readStatus(ctx.db);
    for (const name of status.edited) problems.push({ kind: 'edited', migration: name, message: `${name} was edited after it was applied (its checksum differs).` });
    for (const name of status.missing) problems.push({ kind: 'missing', migration: name, message: `${name} is applied but its file is missing from the migrations folder.` });
    for (const name of status.outOfOrder) {
      problems.push({ kind: 'out-of-order', migration: name, message: `${name} is pending but older than the head ${status.head} (it would run out of order).` });
    }
    const drift = await detectDrift(ctx.db);
    if (drift.drifted) {
      for (const line of renderSchemaDiff(drift.diff).split('\n')) {
        problems.push({ kind: 'drift', message: `drift since ${drift.recordedAt}: ${line}` });
      }
    }
  }
  if (request.source) {
    checked.push('reference');
    const prepared = await prepareSource(request.source, ctx.db, ctx.settings);
    const server: ConnectionTarget | null = ctx.db?.target ?? (prepared.kind === 'url' ? prepared.target : null);
    if (!server && !request.shadowUrl) {
      throw new StepstoneError('SHADOW_UNAVAILABLE', 'No shadow database: there is no server to create one on.', {
        hint: 'Give --db (its server hosts a temporary shadow database) or --shadow <url> naming an empty database Stepstone may use.',
      });
    }
    const migrations = await loadProjectMigrations(ctx.settings);
    const protect = [ctx.db?.target, prepared.kind === 'url' ? prepared.target : undefined].filter((t): t is ConnectionTarget => t !== undefined);
    const differences = await withShadowDatabase({ server, shadowUrl: request.shadowUrl, protect, purpose: 'check', onLog: request.onLog, context: ctx.context ?? ctx.db?.context }, async (shadow) => {
      const desired = await desiredSnapshot(prepared, shadow, ctx.settings);
      const current = await buildMigrationsSchema(shadow, migrations, ctx.settings, request.onProgress);
      return compareSchemas(current, desired).differences;
    });
    if (differences.length) {
      for (const line of renderSchemaDiff({ changes: differences }).split('\n')) {
        problems.push({ kind: 'schema-difference', message: `the migrations differ from ${prepared.description}: ${line}` });
      }
    }
  }
  return { ok: problems.length === 0, problems, checked };
}
