/**
 * Restoring a catalogued backup: the file's checksum is checked before anything is touched, then
 * it is restored in one transaction into the same database, or into another one on the same server
 * (see restore-destination.ts): a new database is dropped again if the restore fails.
 */
import { createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import type { Backup } from '../../shared/backup';
import { databaseNameOf, retargetDatabase, type ConnectionTarget } from '../connection/connection-target';
import { type EngineContext, createEngineContext } from '../engine-context';
import { StepstoneError, isStepstoneError, messageOf } from '../errors';
import { backupsDirOf, fileSize, findBackup } from './backup-catalogue';
import { openBackupFile } from './builtin-file-format';
import { restoreBuiltinBackup, restoreBuiltinBackupInto } from './builtin-restore';
import { closeQuietly, openCopySession, readServerVersion } from './copy-session';
import { findPgTools } from './find-pg-dump';
import { restorePgDumpInPlace, restorePgDumpInto } from './pg-dump-backup';
import { readLedgerHead } from './read-ledger-head';
import { assertReplaceable, describeRestoreDestination } from './restore-destination';
import { createEmptyDatabase, dropDatabaseQuietly, unmarkDatabase } from './scratch-database';
import { markerComment } from '../shadow/temporary-database';
import type { PgToolSearchOptions } from './take-backup';

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
  await checkBackupFile(backup);
  log(`Backup ${backup.id} checksum verified.`);

  if (landing === 'create') {
    const encoding = backup.method === 'builtin' ? await builtinEncoding(backup.file) : undefined;
    await createEmptyDatabase(target, context, database, encoding, markerComment(`${options.purpose ?? 'restore'} of backup ${backup.id}`, context));
    log(`Created the database "${database}".`);
  }
  try {
    if (backup.method === 'builtin' && landing === 'create') {
      // A database created here is dropped again on failure: it can be loaded over several connections.
      await restoreBuiltinBackupInto(target, context, database, backup.file, { onLog: log, beforeTable: options.beforeTable, parallel: options.parallel });
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
  } catch (error) {
    if (landing === 'create') await dropDatabaseQuietly(target, database, log, context);
    if (isStepstoneError(error)) throw error;
    throw new StepstoneError('RESTORE_FAILED', `The restore failed and was rolled back: ${messageOf(error)}`, {
      hint: landing === 'create' ? `The new database "${database}" was dropped again.` : `The database "${database}" is as it was before the restore.`,
      cause: error,
    });
  }
  if (landing === 'create' && options.purpose !== 'verify') await unmarkDatabase(target, context, database);
  const head = await readRestoredHead(target, context, database);
  if (head !== backup.head) log(`Note: the restored ledger's head is ${head ?? 'empty'}, the backup recorded ${backup.head ?? 'none'}.`);
  log(`Restored backup ${backup.id} into "${database}".`);
  return { backup, database, head };
}

/** sha256 and size of the file against the catalogue; BACKUP_CORRUPT (or BACKUP_NOT_FOUND) otherwise. */
export async function checkBackupFile(backup: Backup): Promise<void> {
  const size = await fileSize(backup.file);
  if (size === null) {
    throw new StepstoneError('BACKUP_NOT_FOUND', `The file of backup ${backup.id} is missing: ${backup.file}.`, { hint: 'It was moved or deleted; use another backup.' });
  }
  const hash = createHash('sha256');
  await pipeline(createReadStream(backup.file), hash);
  const checksum = hash.digest('hex');
  if (size !== backup.sizeBytes || checksum !== backup.checksum) {
    throw new StepstoneError(
      'BACKUP_CORRUPT',
      `Backup ${backup.id} is damaged: its file ${size !== backup.sizeBytes ? `is ${size} bytes instead of ${backup.sizeBytes}` : 'does not match its recorded checksum'}. Nothing was changed.`,
      { hint: 'The file was truncated or altered after it was written; use another backup.' },
    );
  }
}

async function builtinEncoding(file: string): Promise<string> {
  const reader = await openBackupFile(file);
  try {
    return reader.manifest.encoding;
  } finally {
    await reader.close();
  }
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
