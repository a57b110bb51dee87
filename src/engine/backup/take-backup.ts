/**
 * Taking a backup: pick the method, write the file as `.partial`, rename it when complete and
 * checksummed, record it in the catalogue, apply retention. Every failure is a BACKUP_FAILED that
 * names the cause, and leaves no file behind.
 */
import { createWriteStream } from 'node:fs';
import { chmod, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import type pg from 'pg';
import type { Backup, BackupMethod } from '../../shared/backup';
import { databaseNameOf, type ConnectionTarget } from '../connection/connection-target';
import { type EngineContext, createEngineContext } from '../engine-context';
import { connectionLossReason } from '../connection/connection-loss';
import { classifyConnectionError } from '../connection/classify-connection-error';
import { StepstoneError, isStepstoneError, messageOf } from '../errors';
import { writeBuiltinBackup } from './builtin-backup';
import { applyRetention, BACKUP_FILE_MODE, backupsDirOf, DEFAULT_RETENTION, ensureBackupsDir, newBackupId, writeEntry } from './backup-catalogue';
import { closeQuietly, openCopySession, readServerVersion } from './copy-session';
import { findPgTools, type PgTools } from './find-pg-dump';
import { writePgDumpBackup } from './pg-dump-backup';
import { readLedgerHead } from './read-ledger-head';
import { describePartials, partialFileName, removeStalePartialFiles } from './partial-files';

/** Where to look for pg_dump besides the settings path (tests hide it with empty values). */
export interface PgToolSearchOptions {
  pgDumpPath?: string;
  /** Where pgDumpPath came from, for messages ("STEPSTONE_PG_DUMP", the settings file). */
  pgDumpSource?: string;
  /** PATH to search (default: the process's). */
  pathEnv?: string;
  /** Install folders to search (default: the usual ones). */
  folders?: string[];
}

export interface TakeBackupOptions extends PgToolSearchOptions {
  dataDir: string;
  /** Backups folder (default `<dataDir>/backups`). */
  backupsDir?: string;
  /** `auto` (default): pg_dump when a fitting one exists, else built-in. */
  method?: BackupMethod | 'auto';
  /** The operation this backup precedes ("upgrade", "rollback") or "manual". */
  operation: string;
  /** What the run it precedes was to do ("before Upgrade of 3 migrations, head X → Y"). */
  trigger?: Backup['trigger'];
  /** Migration head at backup time; read from the profile's ledger table when left out. */
  head?: string | null;
  profileId?: string | null;
  /** Backups kept per database (default 20). */
  retention?: number;
  /** Connections the built-in method reads with. */
  parallel?: number;
  onLog?: (message: string) => void;
  /** Where a warning goes (e.g. a backups folder others can read); default: `onLog`. */
  onWarning?: (message: string) => void;
  /** Opens the file's output stream (tests inject failing ones). */
  openWrite?: (path: string) => Writable | Promise<Writable>;
  /** The clock of the backup's id and createdAt (default: the context's). */
  now?: () => Date;
  /** The engine's identity and memos (a fresh context when a test calls this directly). */
  context?: EngineContext;
}

/** Takes a backup of the target's database and records it in the catalogue. */
export async function takeBackup(target: ConnectionTarget, options: TakeBackupOptions): Promise<Backup> {
  const started = Date.now();
  const context = options.context ?? createEngineContext();
  const log = options.onLog ?? (() => undefined);
  if (target.profile.kind === 'embedded') {
    throw new StepstoneError('BACKUP_FAILED', 'Backups of the embedded demo database are not supported.', { hint: 'Use a PostgreSQL server profile.' });
  }
  const dir = backupsDirOf(options.dataDir, options.backupsDir);
  const folder = await ensureBackupsDir(dir);
  if (folder.warning) (options.onWarning ?? log)(folder.warning);
  const swept = await removeStalePartialFiles(dir, context.identity).catch(() => null);
  if (swept?.removed.length) log(`Removed ${describePartials(swept.removed)} left by backups that did not finish.`);
  const database = databaseNameOf(target);

  const probe = await openCopySession(target, context, 'backup').catch((error: unknown) => {
    // The classified cause (e.g. PASSWORD_REQUIRED) keeps its code: the shells offer what fixes it.
    throw classifyConnectionError(error, target);
  });
  // The built-in method reads with this session as its main connection (one connection fewer to
  // open before the rows); pg_dump connects on its own, so it is closed before pg_dump starts.
  let session: pg.Client | undefined = probe;
  let server: { num: number; text: string };
  let head: string | null;
  let chosen: { method: BackupMethod; tools?: PgTools };
  try {
    server = await readServerVersion(probe);
    head = options.head !== undefined ? options.head : await readLedgerHead(probe, target.profile.migrations);
    chosen = await chooseMethod(options, server.num, log);
  } catch (error) {
    await closeQuietly(probe);
    throw error;
  }

  const { method, tools } = chosen;
  const createdAt = (options.now ?? context.now)().toISOString();
  const id = newBackupId(new Date(createdAt));
  const file = join(dir, `${id}.${method === 'pg_dump' ? 'pgdump' : 'stepstone'}`);
  // Named after its writer: if this process dies, the next backup or listing knows the file is nobody's.
  const partial = partialFileName(file, context.identity);
  let out: Writable | undefined;
  let renamed = false;
  try {
    out = await (options.openWrite ?? defaultOpenWrite)(partial);
    let result: { sizeBytes: number; checksum: string; tables: Backup['tables']; unsupported: string[] };
    if (method === 'pg_dump' && tools) {
      await closeQuietly(session);
      session = undefined;
      const written = await writePgDumpBackup(target, context, tools, out);
      result = { ...written, unsupported: [] };
    } else {
      const main = session;
      session = undefined;
      const written = await writeBuiltinBackup(target, { out, database, head, context, parallel: options.parallel, session: main, onLog: log });
      result = {
        sizeBytes: written.sizeBytes,
        checksum: written.checksum,
        tables: written.manifest.tables.map((t) => ({ table: `${t.schema}.${t.name}`, rows: t.rows, hash: t.hash })),
        unsupported: written.manifest.unsupported,
      };
    }
    await rename(partial, file);
    renamed = true;
    await chmod(file, BACKUP_FILE_MODE); // also when an injected writer opened it another way
    const backup: Backup = {
      id,
      file,
      createdAt,
      method,
      database,
      serverVersion: server.text,
      head,
      operation: options.operation,
      ...(options.trigger ? { trigger: options.trigger } : {}),
      sizeBytes: result.sizeBytes,
      checksum: result.checksum,
      profileId: options.profileId ?? target.profile.id ?? null,
      tables: result.tables,
      unsupported: result.unsupported,
      durationMs: Date.now() - started,
    };
    await writeEntry(dir, backup);
    log(`Backup ${id} written (${method}, ${backup.sizeBytes} bytes, ${backup.durationMs} ms).`);
    await applyRetention(dir, options.retention ?? DEFAULT_RETENTION).then(
      (removed) => removed.length && log(`Removed ${removed.length} old backup(s) beyond the retention limit: ${removed.join(', ')}.`),
      (error: unknown) => log(`Could not apply backup retention: ${messageOf(error)}`),
    );
    return backup;
  } catch (error) {
    await closeQuietly(session);
    out?.destroy();
    await rm(partial, { force: true });
    if (renamed) await rm(file, { force: true });
    throw failure(describeWriteError(error), error);
  }
}

/** Chooses pg_dump or built-in, and says which and why. */
async function chooseMethod(options: TakeBackupOptions, serverVersionNum: number, log: (m: string) => void): Promise<{ method: BackupMethod; tools?: PgTools }> {
  const wanted = options.method ?? 'auto';
  if (wanted === 'builtin') {
    log('Using the built-in backup (chosen in the settings).');
    return { method: 'builtin' };
  }
  const search = await findPgTools({ serverVersionNum, pgDumpPath: options.pgDumpPath, pgDumpSource: options.pgDumpSource, pathEnv: options.pathEnv, folders: options.folders });
  if (search.found) {
    log(`Using pg_dump: ${search.reason}.`);
    return { method: 'pg_dump', tools: search.tools };
  }
  if (search.explicit) {
    // A path the user set is never silently replaced by another pg_dump, nor by the built-in method.
    throw failure(`no usable pg_dump: ${search.reason}`, undefined, 'Fix that path, remove it to let Stepstone find a pg_dump, or set it to none to always use the built-in backup.');
  }
  if (wanted === 'pg_dump') {
    throw failure(`no usable pg_dump: ${search.reason}`, undefined, 'Install pg_dump of the server\'s major version or newer, set its path in the settings, or use the built-in method.');
  }
  log(`Using the built-in backup: ${search.reason}.`);
  return { method: 'builtin' };
}

function defaultOpenWrite(path: string): Promise<Writable> {
  return new Promise((resolve, reject) => {
    const stream = createWriteStream(path, { flags: 'wx', flush: true, mode: BACKUP_FILE_MODE });
    stream.once('open', () => resolve(stream));
    stream.once('error', reject);
  });
}

function describeWriteError(error: unknown): string {
  if (isStepstoneError(error)) return error.message;
  const lost = connectionLossReason(error);
  if (lost) return `the server closed the connection during the backup: ${lost}`;
  const code = (error as NodeJS.ErrnoException).code;
  const words: Record<string, string> = {
    ENOSPC: 'the disk is full',
    EDQUOT: 'the disk quota is exhausted',
    EACCES: 'permission denied writing the backup file',
    EPERM: 'permission denied writing the backup file',
    EROFS: 'the backups folder is on a read-only file system',
    ENOTDIR: 'the backups folder path runs through a file',
    EIO: 'an input/output error occurred writing the backup file',
  };
  return code && words[code] ? `${words[code]} (${messageOf(error)})` : messageOf(error);
}

function failure(why: string, cause?: unknown, hint?: string): StepstoneError {
  if (isStepstoneError(cause) && cause.code === 'BACKUP_FAILED') return cause;
  return new StepstoneError('BACKUP_FAILED', `The backup failed: ${why}. No backup file was kept.`, {
    hint: hint ?? 'Fix the cause and try again; the migration was not started.',
    cause,
  });
}
