/** Where the CLI's backups go: the data folder (--home) with --backups-dir, --keep and --method over its settings. */
import type { BackupPlace } from '../engine';
import { StepstoneError, resolveDataDir } from '../engine';
import { positiveInt, type CliOptions } from './parse-args';

/** The data folder and the backup settings the command line overrides (the engine reads the rest from settings.json). */
export function cliBackupPlace(options: CliOptions): BackupPlace {
  const keep = positiveInt(options.keep, 'keep');
  return {
    dataDir: resolveDataDir(options.home),
    ...(options['backups-dir'] ? { backupsDir: options['backups-dir'] } : {}),
    ...(keep ? { retention: keep } : {}),
    method: parseMethod(options.method),
  };
}

/** The --method option. */
export function parseMethod(method: string | undefined): 'pg_dump' | 'builtin' | 'auto' {
  if (method === undefined) return 'auto';
  if (method === 'pg_dump' || method === 'builtin' || method === 'auto') return method;
  throw new StepstoneError('INVALID_INPUT', `--method must be pg_dump or builtin, not "${method}".`);
}
