/** The automatic backup before an upgrade or rollback, as the CLI wires it (policy lives in the engine). */
import type { Plan } from '../shared/domain';
import type { ConnectionTarget } from '../engine/connection/connection-target';
import { resolveDataDir } from '../engine/data-folder';
import { StepstoneError } from '../engine/errors';
import { backupBeforeRun as engineBackupBeforeRun, pgToolsFromSetting } from '../engine/operations/backup-before-run';
import { note } from './output';
import type { CliOptions } from './parse-args';

/** A `beforeRun` hook that backs up first, or undefined when backups are off for this run. */
export function backupBeforeRun(target: ConnectionTarget, options: CliOptions): ((plan: Plan) => Promise<{ backupId: string }>) | undefined {
  return engineBackupBeforeRun(target, {
    dataDir: resolveDataDir(options.home),
    skip: options['no-backup'],
    method: parseMethod(options.method),
    pgTools: pgToolsFromSetting(process.env.STEPSTONE_PG_DUMP),
    onLog: options.json ? undefined : note,
  });
}

/** The --method option. */
export function parseMethod(method: string | undefined): 'pg_dump' | 'builtin' | 'auto' {
  if (method === undefined) return 'auto';
  if (method === 'pg_dump' || method === 'builtin' || method === 'auto') return method;
  throw new StepstoneError('INVALID_INPUT', `--method must be pg_dump or builtin, not "${method}".`);
}
