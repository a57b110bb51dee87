/**
 * Backup files being written: `<id>.<ext>.<host>.<pid>.partial`, named after their writer so a
 * partial file whose writer died (a killed backup) can be told from one being written now, and
 * removed at the start of the next backup or listing.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { PartialBackupFile } from '../../shared/backup';
import type { Identity } from '../engine-context';

const PARTIAL = /^(?<base>.+?)(?:\.(?<host>[A-Za-z0-9-]+)\.(?<pid>\d+))?\.partial$/;
/** A partial file not written to for this long is stale whoever wrote it (another host, a reused pid). */
export const STALE_AFTER_MS = 24 * 60 * 60 * 1000;
/** A partial file of an older Stepstone (no writer in its name) is stale once it has not changed for this long. */
const UNNAMED_STALE_AFTER_MS = 10 * 60 * 1000;

/** The host as it can stand in a file name. */
export function hostTag(host: string): string {
  return host.replace(/[^A-Za-z0-9-]+/g, '-').slice(0, 60) || 'host';
}

/** The partial name `file` is written under by `identity`'s process. */
export function partialFileName(file: string, identity: Identity): string {
  return `${file}.${hostTag(identity.host)}.${identity.pid}.partial`;
}

/** Whether process `pid` runs on this machine. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, someone else's
  }
}

/** The partial files in `dir`, each with whether its writer is gone. A missing folder has none. */
export async function scanPartialFiles(dir: string, identity: Identity, now = Date.now()): Promise<PartialBackupFile[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const found: PartialBackupFile[] = [];
  for (const name of names) {
    const match = PARTIAL.exec(name);
    if (!match?.groups) continue;
    const file = join(dir, name);
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) continue;
    const { host, pid } = match.groups;
    const writer = host && pid ? { pid: Number(pid), host } : null;
    const idle = now - info.mtimeMs;
    const stale =
      idle > STALE_AFTER_MS ||
      (writer ? writer.host === hostTag(identity.host) && writer.pid !== identity.pid && !processAlive(writer.pid) : idle > UNNAMED_STALE_AFTER_MS);
    found.push({ file, sizeBytes: info.size, modifiedAt: info.mtime.toISOString(), writer, stale });
  }
  return found;
}

/** Removes the stale partial files of `dir`; returns what was removed and what is still being written. */
export async function removeStalePartialFiles(dir: string, identity: Identity): Promise<{ removed: PartialBackupFile[]; kept: PartialBackupFile[] }> {
  const all = await scanPartialFiles(dir, identity);
  const removed: PartialBackupFile[] = [];
  for (const p of all.filter((f) => f.stale)) {
    if (await rm(p.file, { force: true }).then(() => true, () => false)) removed.push(p);
  }
  return { removed, kept: all.filter((f) => !removed.includes(f)) };
}

/** "2 partial files (40.1 MiB)", for notes. */
export function describePartials(files: PartialBackupFile[]): string {
  const bytes = files.reduce((sum, f) => sum + f.sizeBytes, 0);
  return `${files.length} partial file${files.length === 1 ? '' : 's'} (${(bytes / 1024 / 1024).toFixed(1)} MiB)`;
}
