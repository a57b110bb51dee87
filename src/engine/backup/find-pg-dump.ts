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

/** `explicit`: a pg_dump path was given and it does not fit; callers fail rather than look elsewhere. */
export type PgToolsSearch = { found: true; tools: PgTools; reason: string } | { found: false; reason: string; explicit: boolean };

export interface FindPgToolsOptions {
  /** server_version_num, e.g. 150020. */
  serverVersionNum: number;
  /** A pg_dump path given by the user: the only one tried (an explicit path is never silently replaced). */
  pgDumpPath?: string;
  /** Where that path came from, for messages, e.g. "STEPSTONE_PG_DUMP". */
  pgDumpSource?: string;
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

/** The pg_dump given explicitly, or else the first fitting one on PATH, then in the usual folders (newest first). */
export async function findPgTools(options: FindPgToolsOptions): Promise<PgToolsSearch> {
  const platform = options.platform ?? process.platform;
  const exe = platform === 'win32' ? '.exe' : '';
  const server = serverMajor(options.serverVersionNum);
  if (options.pgDumpPath) {
    const source = options.pgDumpSource ?? 'the settings';
    const checked = await checkCandidate(options.pgDumpPath, server, exe);
    if (checked.tools) return { found: true, tools: checked.tools, reason: `pg_dump ${checked.tools.version} (${options.pgDumpPath}, from ${source}) fits the server ${server}` };
    return { found: false, explicit: true, reason: `${source} names ${options.pgDumpPath}, ${checked.problem}` };
  }
  const candidates: string[] = [];
  const pathEnv = options.pathEnv ?? process.env.PATH ?? '';
  for (const dir of pathEnv.split(delimiter).filter(Boolean)) candidates.push(join(dir, `pg_dump${exe}`));
  for (const folder of await expandFolders(options.folders ?? usualPgFolders(platform))) candidates.push(join(folder, `pg_dump${exe}`));

  const rejected: string[] = [];
  const seen = new Set<string>();
  for (const pgDump of candidates) {
    if (!(await isExecutable(pgDump))) continue;
    // /bin and /usr/bin are often one folder; look at each real file once.
    const real = await realpath(pgDump).catch(() => pgDump);
    if (seen.has(real)) continue;
    seen.add(real);
    const checked = await checkCandidate(pgDump, server, exe);
    if (checked.tools) return { found: true, tools: checked.tools, reason: `pg_dump ${checked.tools.version} (${pgDump}) fits the server ${server}` };
    rejected.push(`${pgDump}, ${checked.problem}`);
  }
  if (rejected.length === 0) return { found: false, explicit: false, reason: 'no pg_dump was found (PATH, usual install folders)' };
  return { found: false, explicit: false, reason: rejected.join('; ') };
}

/** Whether this pg_dump can back up a server of major version `server`, with pg_restore (and psql) beside it. */
async function checkCandidate(pgDump: string, server: number, exe: string): Promise<{ tools: PgTools; problem?: undefined } | { tools?: undefined; problem: string }> {
  if (!(await exists(pgDump))) return { problem: 'which does not exist' };
  if (!(await isExecutable(pgDump))) return { problem: 'which is not executable' };
  const version = await toolVersion(pgDump);
  if (!version) return { problem: 'which did not report a version (is it pg_dump?)' };
  if (version.major < server) return { problem: `which is pg_dump ${version.major}, older than the server ${server} (pg_dump cannot back up newer servers)` };
  const dir = dirname(pgDump);
  const pgRestore = join(dir, `pg_restore${exe}`);
  if (!(await isExecutable(pgRestore))) return { problem: 'which has no pg_restore beside it' };
  const psql = join(dir, `psql${exe}`);
  return { tools: { pgDump, pgRestore, psql: (await isExecutable(psql)) ? psql : null, version: version.text, major: version.major } };
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

async function exists(path: string): Promise<boolean> {
  try {
    await access(path, constants.F_OK);
    return true;
  } catch {
    return false;
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
