/** Façade: the backup catalogue of a data folder — take, list, restore, verify, delete. */
import type { Backup, BackupMethod, Leftovers, VerifyResult } from '../../shared/backup';
import { type ConnectionTarget, databaseNameOf } from '../connection/connection-target';
import type { EngineContext } from '../engine-context';
import type { RestoreDestination } from '../backup/restore-destination';
import { type BackupPlace, backupPolicyOf } from './backup-place';

/** What a restore did. */
export interface RestoreOutcome {
  /** The database restored into. */
  database: string;
  /** The head of the restored ledger. */
  head: string | null;
  durationMs: number;
}

/** The backup operations of `createEngine`. */
export function backupOperations(context: EngineContext) {
  return {
    /**
     * What interrupted backups, restores, verifications and dry runs left: partial backup files and marked databases
     * on the target's server. `clean` removes the stale ones (writer or creator gone, or older than a day) first.
     */
    async leftovers(target: ConnectionTarget, place: BackupPlace, options: { clean: boolean; onLog?: (message: string) => void }): Promise<Leftovers> {
      const { dataDir, backupsDir } = await backupPolicyOf(place, context);
      const [{ readLeftovers }, { backupsDirOf }] = await Promise.all([import('../backup/leftovers'), import('../backup/backups-dir')]);
      return readLeftovers(target, backupsDirOf(dataDir, backupsDir), context, options);
    },

    /**
     * Backups of the target's database, newest first; only one profile's when `profileId` is given. Stale partial files
     * are removed first, unless `keepPartialFiles` (the app lists them as leftovers and removes them when asked).
     */
    async listBackups(target: ConnectionTarget, place: BackupPlace, options: { profileId?: string; keepPartialFiles?: boolean } = {}): Promise<Backup[]> {
      const { backupsDir } = await backupPolicyOf(place, context);
      const { keepPartialFiles, ...filter } = options;
      if (!keepPartialFiles) {
        const [{ removeStalePartialFiles }, { backupsDirOf }] = await Promise.all([import('../backup/partial-files'), import('../backup/backups-dir')]);
        await removeStalePartialFiles(backupsDirOf(place.dataDir, backupsDir), context.identity).catch(() => undefined);
      }
      const { listBackups } = await import('../backup/list-backups');
      return listBackups({ dataDir: place.dataDir, backupsDir, database: databaseNameOf(target), ...filter });
    },

    /** A manual backup (pg_dump when a fitting one exists, else built-in unless a method is named), recorded in the history. */
    async takeBackup(
      target: ConnectionTarget,
      place: BackupPlace,
      options: { method?: BackupMethod; onLog?: (message: string) => void; onWarning?: (message: string) => void } = {},
    ): Promise<Backup> {
      const { pgTools, ...policy } = await backupPolicyOf(place, context, { onLog: options.onLog, onWarning: options.onWarning });
      const { backupNow } = await import('../backup/recorded-backups');
      return backupNow(target, { ...policy, ...pgTools, method: options.method ?? policy.method, context });
    },

    /**
     * Where a restore "into" another database lands (a name, or a URL on the same server), and what it
     * holds; DATABASE_NOT_EMPTY when it holds something and `replace` was not asked for.
     */
    async describeRestoreDestination(target: ConnectionTarget, into: string, options: { replace: boolean }): Promise<RestoreDestination> {
      const { assertReplaceable, describeRestoreDestination } = await import('../backup/restore-destination');
      const destination = await describeRestoreDestination(target, into, context);
      assertReplaceable(destination, options.replace);
      return destination;
    },

    /**
     * Restore a backup over the target's database, or into another one (created, or empty, or replaced
     * when `replaceExisting`); checksum first, one transaction, recorded in the history.
     */
    async restoreBackup(
      target: ConnectionTarget,
      place: BackupPlace,
      backupId: string,
      options: { intoDatabase?: string; replaceExisting?: boolean; onLog?: (message: string) => void },
    ): Promise<RestoreOutcome> {
      const { dataDir, backupsDir, pgTools } = await backupPolicyOf(place, context);
      const { restoreWithHistory } = await import('../backup/recorded-backups');
      const restored = await restoreWithHistory(target, backupId, {
        dataDir,
        backupsDir,
        ...pgTools,
        intoDatabase: options.intoDatabase,
        replaceExisting: options.replaceExisting,
        onLog: options.onLog,
        context,
      });
      return { database: restored.database, head: restored.head, durationMs: restored.durationMs };
    },

    /** Restore into a scratch database and compare every table with what the catalogue recorded. */
    async verifyBackup(target: ConnectionTarget, place: BackupPlace, backupId: string, options: { onLog?: (message: string) => void } = {}): Promise<VerifyResult> {
      const { dataDir, backupsDir, pgTools } = await backupPolicyOf(place, context);
      const { verifyBackup } = await import('../backup/verify-backup');
      return verifyBackup(target, backupId, { dataDir, backupsDir, ...pgTools, onLog: options.onLog, context });
    },

    /** Delete a backup's entry and file; BACKUP_NOT_FOUND when there is none. */
    async deleteBackup(place: BackupPlace, backupId: string): Promise<Backup> {
      const { backupsDir } = await backupPolicyOf(place, context);
      const { deleteBackup } = await import('../backup/list-backups');
      return deleteBackup(backupId, { dataDir: place.dataDir, backupsDir });
    },
  };
}
