/**
 * The backups folder: each backup is a file plus a `<id>.json` entry beside it. Files are written
 * as `<name>.partial` and renamed only when complete and checksummed; the entry is written last
 * (atomically, via a temporary file), so a backup without an entry never counts as one.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, chmod, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Backup } from '../../shared/backup';
import { StepstoneError, messageOf } from '../errors';

/** Default number of backups kept per database. */
export const DEFAULT_RETENTION = 20;

const ENTRY_SUFFIX = '.json';

export { backupsDirOf } from './backups-dir';

/** A backup holds every row of its database: files only their owner can read, a folder only its owner can open. */
export const BACKUP_FILE_MODE = 0o600;
export const BACKUP_DIR_MODE = 0o700;

export interface BackupsDirState {
  /** Stepstone created the folder (0700) just now. */
  created: boolean;
  /** Set when an existing folder can be read by other users (Stepstone leaves its mode as the user set it). */
  warning: string | null;
}

/** Creates the folder (0700) if needed and checks it can be written; BACKUP_FAILED naming the cause otherwise. */
export async function ensureBackupsDir(dir: string): Promise<BackupsDirState> {
  try {
    const firstCreated = await mkdir(dir, { recursive: true, mode: BACKUP_DIR_MODE });
    // mkdir's mode passes through the umask; set it outright on every folder made here.
    if (firstCreated !== undefined) await makePrivate(firstCreated, dir);
    await access(dir, constants.W_OK);
    const probe = join(dir, `.write-test-${randomBytes(4).toString('hex')}`);
    await writeFile(probe, '', { mode: BACKUP_FILE_MODE });
    await rm(probe, { force: true });
    return { created: firstCreated !== undefined, warning: firstCreated === undefined ? await exposureWarning(dir) : null };
  } catch (error) {
    throw new StepstoneError('BACKUP_FAILED', `The backups folder ${dir} cannot be created or written: ${messageOf(error)}`, {
      hint: 'Choose a writable backups folder in the settings, or fix its permissions.',
      cause: error,
    });
  }
}

/** chmod 0700 on `dir` and each parent up to `top` (the folders one recursive mkdir created). */
async function makePrivate(top: string, dir: string): Promise<void> {
  for (let folder = dir; ; folder = dirname(folder)) {
    await chmod(folder, BACKUP_DIR_MODE);
    if (folder === top || dirname(folder) === folder) return;
  }
}

/** A warning when other users can read the folder (POSIX modes; Windows has none to check). */
async function exposureWarning(dir: string): Promise<string | null> {
  if (process.platform === 'win32') return null;
  const mode = (await stat(dir)).mode & 0o777;
  const readers = [mode & 0o040 ? 'its group' : null, mode & 0o004 ? 'every user' : null].filter(Boolean);
  if (readers.length === 0) return null;
  return `The backups folder ${dir} can be read by ${readers.join(' and ')} (mode ${mode.toString(8).padStart(3, '0')}), and backups hold every row of the database. Make it private: chmod 700 ${dir}`;
}

/** A new sortable backup id: UTC time plus a random suffix. */
export function newBackupId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').replace(/\..*$/, '');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

/** Reads every valid entry, oldest first (unreadable entries are skipped, not fatal). */
export async function listCatalogue(dir: string): Promise<Backup[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const entries: Backup[] = [];
  for (const name of names.filter((n) => n.endsWith(ENTRY_SUFFIX))) {
    try {
      const parsed = Backup.safeParse(JSON.parse(await readFile(join(dir, name), 'utf8')));
      // The file sits beside its entry, wherever the folder has moved since.
      if (parsed.success) entries.push({ ...parsed.data, file: join(dir, basename(parsed.data.file)) });
    } catch {
      // A half-written or foreign JSON file is not a backup.
    }
  }
  return entries.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}

/** One entry by id; BACKUP_NOT_FOUND when absent. */
export async function findBackup(dir: string, id: string): Promise<Backup> {
  checkId(id);
  const found = (await listCatalogue(dir)).find((b) => b.id === id);
  if (!found) {
    throw new StepstoneError('BACKUP_NOT_FOUND', `No backup with id "${id}" in ${dir}.`, { hint: 'List the backups (`stepstone backups`) and use one of their ids.' });
  }
  return found;
}

/** Writes an entry atomically (temporary file + rename). */
export async function writeEntry(dir: string, backup: Backup): Promise<void> {
  checkId(backup.id);
  const path = join(dir, `${backup.id}${ENTRY_SUFFIX}`);
  const temporary = `${path}.tmp-${randomBytes(3).toString('hex')}`;
  try {
    await writeFile(temporary, `${JSON.stringify(backup, null, 2)}\n`, { mode: BACKUP_FILE_MODE });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Removes a backup's entry first (so it stops counting), then its file. */
export async function deleteEntry(dir: string, id: string): Promise<Backup> {
  const backup = await findBackup(dir, id);
  await rm(join(dir, `${id}${ENTRY_SUFFIX}`), { force: true });
  await rm(backup.file, { force: true });
  return backup;
}

/**
 * Keeps the newest `keep` backups of each database (per profile, so two servers' "app" databases
 * don't evict each other's); returns the ids removed.
 */
export async function applyRetention(dir: string, keep: number = DEFAULT_RETENTION): Promise<string[]> {
  if (!Number.isInteger(keep) || keep < 1) {
    throw new StepstoneError('INVALID_INPUT', `Backup retention must be a whole number of at least 1, not ${keep}.`);
  }
  const groups = new Map<string, Backup[]>();
  for (const b of await listCatalogue(dir)) {
    const key = `${b.profileId ?? ''}\u0000${b.database}`;
    groups.set(key, [...(groups.get(key) ?? []), b]);
  }
  const removed: string[] = [];
  for (const list of groups.values()) {
    for (const old of list.slice(0, Math.max(0, list.length - keep))) {
      await deleteEntry(dir, old.id);
      removed.push(old.id);
    }
  }
  return removed;
}

/** Size of a file, or null when missing. */
export async function fileSize(path: string): Promise<number | null> {
  try {
    return (await stat(path)).size;
  } catch {
    return null;
  }
}

/** Ids become file names: only letters, digits, dashes and underscores. */
function checkId(id: string): void {
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(id)) {
    throw new StepstoneError('INVALID_INPUT', `"${id}" is not a backup id.`, { hint: 'Backup ids look like 20260101-120000-a1b2c3.' });
  }
}
