/**
 * Knex's lock row has no owner and sticks after a crash. Stepstone tells a live lock from a
 * stale one by asking the server who holds its advisory lock or a lock on Knex's tables.
 */
import type { LockHolder, LockState } from '../../shared/lock';
import type { LedgerNames } from '../ledger/ledger-tables';
import { regclassName } from '../ledger/ledger-tables';
import { type SqlSource, readerOf } from '../database/sql-reader';
import { advisoryKey } from './advisory-lock';

/**
 * Sessions (other than ours) holding Stepstone's advisory lock or a write lock on Knex's ledger tables
 * in this database. Advisory keys (and relation oids) can repeat across databases, so other databases'
 * runs must not count; plain reads (AccessShareLock, e.g. a concurrent status check) are not runs.
 */
export async function findLockHolders(db: SqlSource, names: LedgerNames): Promise<LockHolder[]> {
  const [k1, k2] = advisoryKey(names);
  const rows = await readerOf(db).query<{ pid: number; application_name: string; user: string | null; client_address: string | null; since: string | null }>(
    `select distinct a.pid, coalesce(a.application_name, '') as application_name, a.usename as user,
            host(a.client_addr) as client_address, coalesce(a.xact_start, a.backend_start)::text as since
       from pg_locks l
       join pg_stat_activity a on a.pid = l.pid
      where l.pid <> pg_backend_pid() and l.granted
        and l.database = (select oid from pg_database where datname = current_database())
        and ((l.locktype = 'advisory' and l.classid = (?::int)::oid and l.objid = (?::int)::oid and l.objsubid = 2)
          or (l.locktype = 'relation' and l.mode <> 'AccessShareLock' and l.relation in (to_regclass(?), to_regclass(?))))
      order by a.pid`,
    [k1, k2, regclassName(names, names.lock), regclassName(names, names.migrations)],
  );
  return rows.map((r) => ({
    pid: Number(r.pid),
    applicationName: r.application_name,
    user: r.user,
    clientAddress: r.client_address,
    since: r.since,
  }));
}

/** Combine the lock row with the live holders. A holder without the row set is a run in progress inside a transaction. */
export function lockStateOf(lockRow: boolean, holders: LockHolder[]): LockState {
  if (holders.length > 0) return { state: 'live', locked: true, holders };
  return lockRow ? { state: 'stale', locked: true, holders: [] } : { state: 'free', locked: false, holders: [] };
}

/** Plain words for who holds a lock. */
export function describeHolders(holders: LockHolder[]): string {
  if (holders.length === 0) return 'no live process holds it';
  return holders
    .map((h) => `${h.applicationName || 'a process'} (pid ${h.pid}${h.user ? `, user ${h.user}` : ''}${h.clientAddress ? ` from ${h.clientAddress}` : ''}${h.since ? `, since ${h.since}` : ''})`)
    .join('; ');
}
