/** Backup settings and the automatic backup before an upgrade or rollback, as the CLI wires them (policy lives in the engine). */
import type { Plan } from '../shared/domain';
import type { ConnectionTarget } from '../engine/connection/connection-target';
import { resolveDataDir } from '../engine/data-folder';
import { StepstoneError } from '../engine/errors';
import { backupBeforeRun as engineBackupBeforeRun } from '../engine/operations/backup-before-run';
import { type BackupSettings, readBackupSettings } from '../engine/settings/backup-settings';
import { note } from './output';
import { positiveInt, type CliOptions } from './parse-args';

/** The data folder and backup settings, with --home, --backups-dir and --keep applied over the settings file. */
export async function cliBackupSettings(options: CliOptions): Promise<BackupSettings & { dataDir: string }> {
  const dataDir = resolveDataDir(options.home);
  const settings = await readBackupSettings(dataDir);
  const keep = positiveInt(options.keep, 'keep');
  return {
    ...settings,
    dataDir,
    ...(options['backups-dir'] ? { backupsDir: options['backups-dir'] } : {}),
    ...(keep ? { retention: keep } : {}),
  };
}

/** A `beforeRun` hook that backs up first, or undefined when backups are off for this run. */
export async function backupBeforeRun(target: ConnectionTarget, options: CliOptions): Promise<((plan: Plan) => Promise<{ backupId: string }>) | undefined> {
  const settings = await cliBackupSettings(options);
  return engineBackupBeforeRun(target, {
    ...settings,
    skip: options['no-backup'],
    method: parseMethod(options.method),
    onLog: options.json ? undefined : note,
    onWarning: note, // on stderr even with --json
  });
}

/** The --method option. */
export function parseMethod(method: string | undefined): 'pg_dump' | 'builtin' | 'auto' {
  if (method === undefined) return 'auto';
  if (method === 'pg_dump' || method === 'builtin' || method === 'auto') return method;
  throw new StepstoneError('INVALID_INPUT', `--method must be pg_dump or builtin, not "${method}".`);
}
