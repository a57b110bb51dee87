/**
 * Finds a pg_dump/pg_restore pair that can back up the server: pg_dump refuses servers newer
 * than itself, so its major version must be at least the server's.
 */
import { execFile } from 'node:child_process';
import { access, readdir, realpath } from 'node:fs/promises';
import { constants } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A usable tool set, all from one folder. */
export interface PgTools {
  pgDump: string;
  pgRestore: string;
  /** psql beside them (needed to restore into the same database in one transaction), if present. */
  psql: string | null;
  /** pg_dump's version, e.g. "15.20", and its major number. */
  version: string;
  major: number;
}

export type PgToolsSearch = { found: true; tools: PgTools; reason: string } | { found: false; reason: string };

export interface FindPgToolsOptions {
  /** server_version_num, e.g. 150020. */
  serverVersionNum: number;
  /** A pg_dump path from the settings, tried first. */
  pgDumpPath?: string;
  /** The PATH to search (default: process.env.PATH; "" searches nothing). */
  pathEnv?: string;
  /** Install folders to search (default: the usual ones for this platform). */
  folders?: string[];
  platform?: NodeJS.Platform;
}

/** The usual install folders (globs with one `*`), per platform. */
export function usualPgFolders(platform: NodeJS.Platform = process.platform): string[] {
  if (platform === 'win32') return ['C:\\Program Files\\PostgreSQL\\*\\bin'];
  if (platform === 'darwin') {
    return ['/opt/homebrew/opt/postgresql@*/bin', '/usr/local/opt/postgresql@*/bin', '/Applications/Postgres.app/Contents/Versions/*/bin', '/usr/local/pgsql/bin'];
  }
  return ['/usr/lib/postgresql/*/bin', '/usr/pgsql-*/bin', '/usr/local/pgsql/bin'];
}

/** Major version of a server_version_num (150020 → 15; 90624 → 9). */
export function serverMajor(serverVersionNum: number): number {
  return Math.floor(serverVersionNum / 10000);
}

/** Picks the first fitting pg_dump from settings, PATH, then the usual folders (newest first). */
export async function findPgTools(options: FindPgToolsOptions): Promise<PgToolsSearch> {
  const platform = options.platform ?? process.platform;
  const exe = platform === 'win32' ? '.exe' : '';
  const server = serverMajor(options.serverVersionNum);
  const candidates: string[] = [];
  if (options.pgDumpPath) candidates.push(options.pgDumpPath);
  const pathEnv = options.pathEnv ?? process.env.PATH ?? '';
  for (const dir of pathEnv.split(delimiter).filter(Boolean)) candidates.push(join(dir, `pg_dump${exe}`));
  for (const folder of await expandFolders(options.folders ?? usualPgFolders(platform))) candidates.push(join(folder, `pg_dump${exe}`));

  const rejected: string[] = [];
  const seen = new Set<string>();
  for (const pgDump of candidates) {
    if (!(await isExecutable(pgDump))) {
      if (pgDump === options.pgDumpPath) rejected.push(`the pg_dump set in the settings (${pgDump}) does not exist or is not executable`);
      continue;
    }
    // /bin and /usr/bin are often one folder; look at each real file once.
    const real = await realpath(pgDump).catch(() => pgDump);
    if (seen.has(real)) continue;
    seen.add(real);
    const version = await toolVersion(pgDump);
    if (!version) {
      rejected.push(`${pgDump} did not report a version`);
      continue;
    }
    if (version.major < server) {
      rejected.push(`pg_dump ${version.major} (${pgDump}) is older than the server ${server}`);
      continue;
    }
    const dir = dirname(pgDump);
    const pgRestore = join(dir, `pg_restore${exe}`);
    if (!(await isExecutable(pgRestore))) {
      rejected.push(`${pgDump} has no pg_restore beside it`);
      continue;
    }
    const psql = join(dir, `psql${exe}`);
    const tools: PgTools = { pgDump, pgRestore, psql: (await isExecutable(psql)) ? psql : null, version: version.text, major: version.major };
    return { found: true, tools, reason: `pg_dump ${version.text} (${pgDump}) fits the server ${server}` };
  }
  if (rejected.length === 0) return { found: false, reason: 'no pg_dump was found (settings, PATH, usual install folders)' };
  return { found: false, reason: rejected.join('; ') };
}

/** `pg_dump --version` → "15.20" and 15. */
export async function toolVersion(path: string): Promise<{ text: string; major: number } | null> {
  try {
    const { stdout } = await run(path, ['--version'], { timeout: 10_000 });
    const match = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?/.exec(stdout) ?? /(\d+)\.(\d+)/.exec(stdout);
    if (!match) return null;
    return { text: match[2] === undefined ? match[1] : `${match[1]}.${match[2]}`, major: Number(match[1]) };
  } catch {
    return null;
  }
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Expands one `*` per pattern into existing folders, highest version-looking name first. */
async function expandFolders(patterns: readonly string[]): Promise<string[]> {
  const result: string[] = [];
  for (const pattern of patterns) {
    const star = pattern.indexOf('*');
    if (star < 0) {
      result.push(pattern);
      continue;
    }
    const parent = dirname(pattern.slice(0, star + 1));
    const prefix = pattern.slice(parent.length + 1, star);
    const rest = pattern.slice(star + 1);
    const suffix = rest.split(/[\\/]/)[0];
    const tail = rest.slice(suffix.length);
    let names: string[];
    try {
      names = await readdir(parent);
    } catch {
      continue;
    }
    const matching = names.filter((n) => n.startsWith(prefix) && n.endsWith(suffix));
    matching.sort((a, b) => versionOf(b) - versionOf(a));
    for (const name of matching) result.push(parent + pattern.charAt(parent.length) + name + tail);
  }
  return result;
}

function versionOf(name: string): number {
  const m = /(\d+)(?:\.(\d+))?/.exec(name);
  return m ? Number(m[1]) * 1000 + Number(m[2] ?? 0) : 0;
}
