/**
 * Databases Stepstone creates for a while — a dry run's scratch copy, a shadow, a verify copy, a
 * restore's new database — carry a marker comment naming their creator (pid on host) and when.
 * One that outlived its creator (killed: no cleanup ran) is stale: its pid is dead on this host,
 * or it is older than a day. Stale ones are listed (status, backups) and dropped by the next
 * run that creates one, by `backups`, and by `restore --cleanup`.
 */
import type pg from 'pg';
import type { LeftoverDatabase } from '../../shared/backup';
import type { Identity } from '../engine-context';
import { processAlive } from '../backup/partial-files';
import { quoteIdent } from '../schema/sql-quoting';

/** Every database comment Stepstone writes on a database it owns starts with this. */
export const SHADOW_MARKER = 'Stepstone shadow database';

const MARKER = /\((?<purpose>[^,()]+), pid (?<pid>\d+) on (?<host>[^,()]+), (?<at>[^()]+?)\)/;
const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

/** What a marker comment says; null when it is not one of Stepstone's. */
export function readMarker(comment: string | null): { purpose: string; pid: number; host: string; createdAt: string } | null {
  if (!comment?.startsWith(SHADOW_MARKER)) return null;
  const m = MARKER.exec(comment);
  if (!m?.groups) return null;
  return { purpose: m.groups.purpose.trim(), pid: Number(m.groups.pid), host: m.groups.host.trim(), createdAt: m.groups.at.trim() };
}

/** Every marked database on the server of `client`, each with whether it is stale. */
export async function findMarkedDatabases(client: Pick<pg.Client, 'query'>, identity: Identity, now = Date.now()): Promise<LeftoverDatabase[]> {
  const { rows } = await client.query<{ name: string; comment: string | null }>(
    `select d.datname as name, pg_catalog.shobj_description(d.oid, 'pg_database') as comment from pg_catalog.pg_database d
      where pg_catalog.shobj_description(d.oid, 'pg_database') like $1 order by 1`,
    [`${SHADOW_MARKER}%`],
  );
  return rows.map((r) => {
    const marker = readMarker(r.comment);
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

/** Drops the stale marked databases (sessions forced off); returns the names dropped. Never throws. */
export async function dropStaleDatabases(client: Pick<pg.Client, 'query'>, identity: Identity, onLog?: (message: string) => void): Promise<{ found: LeftoverDatabase[]; dropped: string[] }> {
  let found: LeftoverDatabase[];
  try {
    found = await findMarkedDatabases(client, identity);
  } catch {
    return { found: [], dropped: [] };
  }
  const dropped: string[] = [];
  for (const d of found.filter((x) => x.stale)) {
    try {
      await client.query(`drop database if exists ${quoteIdent(d.name)} with (force)`);
      dropped.push(d.name);
    } catch (error) {
      onLog?.(`Could not drop the leftover database "${d.name}" (${d.purpose}): ${(error as Error).message}. Drop it by hand.`);
    }
  }
  if (dropped.length) onLog?.(`Dropped ${dropped.length} database${dropped.length === 1 ? '' : 's'} left by interrupted runs: ${dropped.join(', ')}.`);
  return { found: found.filter((d) => !dropped.includes(d.name)), dropped };
}
