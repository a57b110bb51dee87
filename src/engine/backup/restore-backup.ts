/**
 * Restoring a catalogued backup, into the same database in one transaction, or into another one on
 * the same server (see restore-destination.ts): a new database is dropped again if the restore fails.
 * The file's checksum is checked before anything is touched; into a new database (built-in backups)
 * it is read while the rows load instead, and a mismatch drops the database before it is marked
 * complete: the same refusal, with the checksum's seconds off the restore's own.
 */
import type { Backup } from '../../shared/backup';
import { databaseNameOf, retargetDatabase, type ConnectionTarget } from '../connection/connection-target';
import { type EngineContext, createEngineContext } from '../engine-context';
import { StepstoneError, isStepstoneError, messageOf } from '../errors';
import { backupsDirOf, findBackup } from './backup-catalogue';
import { checkBackupFile, checkBackupHash, checkBackupSize } from './backup-checksum';
import { openBackupFile, type BackupFileReader } from './builtin-file-format';
import { restoreBuiltinBackup, restoreBuiltinBackupInto } from './builtin-restore';
import { closeQuietly, openCopySession, readServerVersion } from './copy-session';
import { findPgTools } from './find-pg-dump';
import { restorePgDumpInPlace, restorePgDumpInto } from './pg-dump-backup';
import { readLedgerHead } from './read-ledger-head';
import { assertReplaceable, describeRestoreDestination } from './restore-destination';
import { clearMarker, createEmptyDatabase, dropDatabaseQuietly, unmarkDatabase } from './scratch-database';
import { markerComment } from '../shadow/temporary-database';
import type { PgToolSearchOptions } from './take-backup';

export { checkBackupFile } from './backup-checksum';

export interface RestoreBackupOptions extends PgToolSearchOptions {
  dataDir: string;
  backupsDir?: string;
  /**
   * Restore into this other database (a name, or a URL on the target's server) instead of the
   * target's own: created when it does not exist, used when it exists empty, and refused when it
   * holds anything unless `replaceExisting`.
   */
  intoDatabase?: string;
  /** With `intoDatabase`: drop what that database holds first (the caller has confirmed it). */
  replaceExisting?: boolean;
  onLog?: (message: string) => void;
  /** Called before each table of a built-in restore (tests interrupt a restore with it). */
  beforeTable?: (table: string, index: number) => void | Promise<void>;
  /** Connections loading a built-in backup into a new database (default: CPU count, at most 4). */
  parallel?: number;
  /** The engine's identity and memos (a fresh context when a test calls this directly). */
  context?: EngineContext;
  /** What a database created here is for, in its marker ("restore", "verify"); a verify copy stays marked (it is dropped after). */
  purpose?: string;
  /**
   * In place only: SQL run in the restore's own transaction before it commits (the history's later
   * entries and the restore's own row, so they commit with the restored tables or not at all).
   */
  inPlaceBeforeCommit?: string;
}

export interface RestoreResult {
  backup: Backup;
  /** The database restored into. */
  database: string;
  /** The newest migration in the restored knex_migrations (equals backup.head when all went well). */
  head: string | null;
}

/** How the restore reaches its database: in place, into one it creates, into an empty one, or replacing one's contents. */
type Landing = 'in-place' | 'create' | 'empty' | 'replace';

/** Restores backup `backupId` into the target's database (or `intoDatabase`). */
export async function restoreBackup(target: ConnectionTarget, backupId: string, options: RestoreBackupOptions): Promise<RestoreResult> {
  const log = options.onLog ?? (() => undefined);
  const context = options.context ?? createEngineContext();
  let database = databaseNameOf(target);
  let landing: Landing = 'in-place';
  if (options.intoDatabase !== undefined) {
    // Checked before the backup file is even read: a wrong name or a full database changes nothing.
    const destination = await describeRestoreDestination(target, options.intoDatabase, context);
    assertReplaceable(destination, options.replaceExisting === true);
    database = destination.database;
    landing = !destination.exists ? 'create' : destination.contents ? 'replace' : 'empty';
    if (destination.contents) log(`Dropping what "${database}" holds: ${destination.contents.summary}.`);
  }
  const backup = await findBackup(backupsDirOf(options.dataDir, options.backupsDir), backupId);
  // Into a new database the sha256 is read beside the load (the size is checked first, at once);
  // anywhere else the whole file is checked before anything is touched.
  const alongside = backup.method === 'builtin' && landing === 'create';
  let hashChecked: Promise<void> = Promise.resolve();
  if (alongside) {
    await checkBackupSize(backup);
    hashChecked = checkBackupHash(backup).then(() => log(`Backup ${backup.id} checksum verified.`));
    // Awaited on every path below; until then a mismatch must not count as unhandled.
    hashChecked.catch(() => undefined);
  } else {
    await checkBackupFile(backup);
    log(`Backup ${backup.id} checksum verified.`);
  }
  // Whatever fails while the sha256 is still being read, a damaged file is the cause to report, as when it was checked first.
  const damagedOr = (error: unknown): Promise<unknown> => hashChecked.then(() => error, (damaged: unknown) => damaged);

  // A built-in backup's manifest is read once: the new database's encoding, then the restore.
  let reader: BackupFileReader | undefined;
  try {
    if (alongside) reader = await openBackupFile(backup.file);
    if (landing === 'create') {
      await createEmptyDatabase(target, context, database, reader?.manifest.encoding, markerComment(`${options.purpose ?? 'restore'} of backup ${backup.id}`, context));
      log(`Created the database "${database}".`);
    }
  } catch (error) {
    await reader?.close();
    throw await damagedOr(error);
  }
  let head: string | null | undefined;
  try {
    if (reader) {
      // A database created here is dropped again on failure: it can be loaded over several connections.
      await restoreBuiltinBackupInto(target, context, database, reader, {
        onLog: log,
        beforeTable: options.beforeTable,
        parallel: options.parallel,
        // On the restore's own connection: no new one at the end. The checksum first, then complete.
        whenLoaded: async (client) => {
          await hashChecked;
          if (options.purpose !== 'verify') await clearMarker(client, database);
          head = await readLedgerHead(client, target.profile.migrations);
        },
      });
    } else if (backup.method === 'builtin') {
      // One transaction that drops the user schemas first: in place, into an empty database and when replacing alike.
      const client = await openCopySession(target, context, 'restore', database);
      try {
        await restoreBuiltinBackup(client, backup.file, { onLog: log, beforeTable: options.beforeTable, beforeCommit: landing === 'in-place' ? options.inPlaceBeforeCommit : undefined });
      } finally {
        await closeQuietly(client);
      }
    } else {
      const tools = await pgToolsFor(target, context, options);
      if (landing === 'create' || landing === 'empty') await restorePgDumpInto(target, context, tools, backup.file, database);
      else await restorePgDumpInPlace(landing === 'replace' ? retargetDatabase(target, database) : target, context, tools, backup.file, landing === 'in-place' ? options.inPlaceBeforeCommit : undefined);
    }
    // Already settled on every path (whenLoaded waits for it before the marker goes); here so none can skip it.
    await hashChecked;
  } catch (thrown) {
    const error = await damagedOr(thrown);
    if (landing === 'create') await dropDatabaseQuietly(target, database, log, context);
    if (isStepstoneError(error)) throw error;
    throw new StepstoneError('RESTORE_FAILED', `The restore failed and was rolled back: ${messageOf(error)}`, {
      hint: landing === 'create' ? `The new database "${database}" was dropped again.` : `The database "${database}" is as it was before the restore.`,
      cause: error,
    });
  } finally {
    await reader?.close();
  }
  if (head === undefined) {
    // The marker cleared (the database is the user's now) and the restored head read, at once.
    [head] = await Promise.all([
      readRestoredHead(target, context, database),
      landing === 'create' && options.purpose !== 'verify' ? unmarkDatabase(target, context, database) : undefined,
    ]);
  }
  if (head !== backup.head) log(`Note: the restored ledger's head is ${head ?? 'empty'}, the backup recorded ${backup.head ?? 'none'}.`);
  log(`Restored backup ${backup.id} into "${database}".`);
  return { backup, database, head };
}

async function pgToolsFor(target: ConnectionTarget, context: EngineContext, options: PgToolSearchOptions) {
  const client = await openCopySession(target, context, 'restore');
  let num: number;
  try {
    num = (await readServerVersion(client)).num;
  } finally {
    await closeQuietly(client);
  }
  const search = await findPgTools({ serverVersionNum: num, pgDumpPath: options.pgDumpPath, pgDumpSource: options.pgDumpSource, pathEnv: options.pathEnv, folders: options.folders });
  if (!search.found) {
    throw new StepstoneError('RESTORE_FAILED', `This backup was taken with pg_dump and needs pg_restore, but none fits: ${search.reason}.`, {
      hint: "Install the PostgreSQL client tools of the server's major version or newer, or set the pg_dump path in the settings.",
    });
  }
  return search.tools;
}

async function readRestoredHead(target: ConnectionTarget, context: EngineContext, database: string): Promise<string | null> {
  const client = await openCopySession(target, context, 'restore', database);
  try {
    return await readLedgerHead(client, target.profile.migrations);
  } finally {
    await closeQuietly(client);
  }
}
