/** Where backups go: the data folder's settings (settings.json, environment) with a shell's overrides on top. */
import type { BackupPolicy } from '../backup/backup-policy';
import type { EngineContext } from '../engine-context';

/** The data folder and what a shell overrides of its backup settings (e.g. the CLI's --backups-dir, --keep, --method). */
export interface BackupPlace {
  dataDir: string;
  backupsDir?: string;
  retention?: number;
  method?: 'pg_dump' | 'builtin' | 'auto';
}

/** The effective backup policy of `place`: its settings file and the environment, overridden by the shell's choices. */
export async function backupPolicyOf(
  place: BackupPlace,
  context: EngineContext,
  sinks: Pick<BackupPolicy, 'onLog' | 'onWarning'> = {},
): Promise<BackupPolicy> {
  const { readBackupSettings } = await import('../settings/backup-settings');
  const settings = await readBackupSettings(place.dataDir, context.env);
  return {
    dataDir: place.dataDir,
    backupsDir: place.backupsDir ?? settings.backupsDir,
    retention: place.retention ?? settings.retention,
    pgTools: settings.pgTools,
    method: place.method ?? 'auto',
    ...sinks,
  };
}
