/**
 * Databases Stepstone creates for a while — a dry run's scratch copy, a shadow, a verify copy, a
 * restore's new database — carry a marker comment naming their creator (pid on host) and when.
 * One that outlived its creator (killed: no cleanup ran) is stale: its pid is dead on this host,
 * or it is older than a day. Stale ones are listed (status, backups) and dropped by the next
 * run that creates one, by `backups`, and by `restore --cleanup`. A database is never seen
 * unmarked: it is created under a pending name that names its creator, marked, then renamed.
 */
import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { LeftoverDatabase } from '../../shared/backup';
import type { Identity } from '../engine-context';
import { processAlive } from '../backup/partial-files';
import { quoteIdent, quoteLiteral } from '../schema/sql-quoting';

/** Every database comment Stepstone writes on a database it owns starts with this. */
export const SHADOW_MARKER = 'Stepstone shadow database';

const MARKER = /\((?<purpose>[^,()]+), pid (?<pid>\d+) on (?<host>[^,()]+), (?<at>[^()]+?)\)/;
const STALE_AFTER_MS = 24 * 60 * 60 * 1000;
/** How long a sweep waits for the lock of a stale database being dropped before leaving it to the session dropping it. */
const BUSY_AFTER_MS = 100;

/** What a marker comment says; null when it is not one of Stepstone's. */
export function readMarker(comment: string | null): { purpose: string; pid: number; host: string; createdAt: string } | null {
  if (!comment?.startsWith(SHADOW_MARKER)) return null;
  const m = MARKER.exec(comment);
  if (!m?.groups) return null;
  return { purpose: m.groups.purpose.trim(), pid: Number(m.groups.pid), host: m.groups.host.trim(), createdAt: m.groups.at.trim() };
}

/** A database being created: `stepstone_pending_<host tag>_<pid>_<random>` until it is marked and renamed. */
const PENDING = /^stepstone_pending_(?<tag>[0-9a-f]{8})_(?<pid>\d+)_[0-9a-f]+$/;

/** Eight hex digits of the host's name (a database name has no room for the name itself). */
function hostTag(host: string): string {
  return createHash('sha256').update(host).digest('hex').slice(0, 8);
}

/**
 * CREATE DATABASE `name` (with `clauses`) carrying `marker`, never unmarked under its own name: it is
 * created under a pending name naming its creator, marked, then renamed, so a creator killed in
 * between leaves a database that is recognised as its leftover either way.
 */
export async function createMarkedDatabase(client: Pick<pg.Client, 'query'>, identity: Identity, name: string, clauses: string, marker: string): Promise<void> {
  const pending = `stepstone_pending_${hostTag(identity.host)}_${identity.pid}_${randomBytes(4).toString('hex')}`;
  await client.query(`create database ${quoteIdent(pending)} ${clauses}`);
  try {
    await client.query(`comment on database ${quoteIdent(pending)} is ${quoteLiteral(marker)}`);
    await client.query(`alter database ${quoteIdent(pending)} rename to ${quoteIdent(name)}`);
  } catch (error) {
    await client.query(`drop database if exists ${quoteIdent(pending)}`).catch(() => undefined);
    throw error;
  }
}

/** Every marked database on the server of `client` (and every one still being created), each with whether it is stale. */
export async function findMarkedDatabases(client: Pick<pg.Client, 'query'>, identity: Identity, now = Date.now()): Promise<LeftoverDatabase[]> {
  const { rows } = await client.query<{ name: string; comment: string | null }>(
    `select d.datname as name, pg_catalog.shobj_description(d.oid, 'pg_database') as comment from pg_catalog.pg_database d
      where pg_catalog.shobj_description(d.oid, 'pg_database') like $1 or d.datname like 'stepstone\\_pending\\_%' order by 1`,
    [`${SHADOW_MARKER}%`],
  );
  return rows.map((r) => {
    const pending = PENDING.exec(r.name)?.groups;
    const marker = readMarker(r.comment) ?? (pending ? { purpose: 'being created', pid: Number(pending.pid), host: pending.tag === hostTag(identity.host) ? identity.host : `host ${pending.tag}`, createdAt: '' } : null);
    const created = marker ? Date.parse(marker.createdAt) : NaN;
    const ownerGone = marker !== null && marker.host === identity.host && marker.pid !== identity.pid && !processAlive(marker.pid);
    const old = !Number.isNaN(created) && now - created > STALE_AFTER_MS;
    return {
      name: r.name,
      purpose: marker?.purpose ?? 'unknown',
      pid: marker?.pid ?? null,
      host: marker?.host ?? null,
      createdAt: Number.isNaN(created) ? null : new Date(created).toISOString(),
      stale: ownerGone || old,
    };
  });
}

/**
 * Those of `names` marked invalid (datconnlimit -2): PostgreSQL 15.4 and later mark a database so
 * when its DROP DATABASE begins (the drop is then under way, or was cut short). Empty on older servers.
 */
async function invalidDatabases(client: Pick<pg.Client, 'query'>, names: string[]): Promise<Set<string>> {
  try {
    const { rows } = await client.query<{ name: string }>('select datname as name from pg_catalog.pg_database where datconnlimit = -2 and datname = any($1)', [names]);
    return new Set(rows.map((r) => r.name));
  } catch {
    return new Set();
  }
}

/** Drops the stale marked databases (sessions forced off); returns the names dropped. Never throws. */
export async function dropStaleDatabases(
  client: Pick<pg.Client, 'query'>,
  identity: Identity,
  onLog?: (message: string) => void,
  /** Leave one another session is dropping to it instead of waiting (creating a temporary database: see below). */
  options: { leaveBeingDropped?: boolean } = {},
): Promise<{ found: LeftoverDatabase[]; dropped: string[] }> {
  let found: LeftoverDatabase[];
  try {
    found = await findMarkedDatabases(client, identity);
  } catch {
    return { found: [], dropped: [] };
  }
  const dropped: string[] = [];
  const stale = found.filter((x) => x.stale);
  const beingDropped = stale.length && options.leaveBeingDropped ? await invalidDatabases(client, stale.map((d) => d.name)) : new Set<string>();
  for (const d of stale) {
    try {
      if (beingDropped.has(d.name)) {
        // Marked invalid: a DROP DATABASE of it has begun. Another session still at it (a
        // command-line dry run that ended while the server finishes its scratch copy's drop,
        // temporary-database.ts) holds its lock until that drop and its checkpoint are done: it
        // is left to that session rather than waited for. None at it (the drop was cut short):
        // the lock is free and it is dropped here.
        await client.query(`set lock_timeout = '${BUSY_AFTER_MS}ms'`);
        try {
          await client.query(`drop database if exists ${quoteIdent(d.name)} with (force)`);
        } finally {
          await client.query('reset lock_timeout').catch(() => undefined);
        }
      } else {
        await client.query(`drop database if exists ${quoteIdent(d.name)} with (force)`);
      }
      dropped.push(d.name);
    } catch (error) {
      if (beingDropped.has(d.name) && (error as { code?: string }).code === '55P03') continue; // another session is dropping it
      onLog?.(`Could not drop the leftover database "${d.name}" (${d.purpose}): ${(error as Error).message}. Drop it by hand.`);
    }
  }
  if (dropped.length) onLog?.(`Dropped ${dropped.length} database${dropped.length === 1 ? '' : 's'} left by interrupted runs: ${dropped.join(', ')}.`);
  return { found: found.filter((d) => !dropped.includes(d.name)), dropped };
}
