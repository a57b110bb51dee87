/**
 * Who keeps a started history row alive. A row written when an operation starts names the session
 * that holds an advisory lock for it (an upgrade's or rollback's: Stepstone's migration lock; a
 * backup's or restore's: a key of its own): that backend's pid, when it started, and the key. The
 * row reads as running only while that very backend still holds that key in this database; a
 * killed client's backend, a lost session or a pid reused by a later backend all read as interrupted.
 */
import type pg from 'pg';

/** The session holding a started row: backend pid, its start (epoch seconds as the server prints them) and the advisory key. */
export interface RowHolder {
  pid: number;
  /** pg_stat_activity.backend_start as `extract(epoch …)::text`; null when the server does not show it. */
  since: string | null;
  key: [number, number];
}

/** 'STPH': the namespace of the keys backups and restores hold for their history row (Stepstone's migration lock is 'STPS'). */
export const HELD_ROW_NAMESPACE = 0x53545048;

/** The holder `client` is, holding `key` (the caller takes the lock). */
export async function readHolder(client: pg.Client, key: [number, number]): Promise<RowHolder> {
  const res = await client.query<{ pid: number; since: string | null }>(
    `select pg_backend_pid() as pid, (select extract(epoch from backend_start)::text from pg_stat_activity where pid = pg_backend_pid()) as since`,
  );
  return { pid: Number(res.rows[0].pid), since: res.rows[0].since ?? null, key };
}

/**
 * The outcome as read, for a history row aliased `h`: a finished row's own; a `running` row's holder
 * (details.holder) must hold its key now, on the same backend (same pid and backend start) in this
 * database, or the row is `interrupted`. A running row without a holder is an embedded database's,
 * whose only runs are in this process: `?` (bound first) says whether it runs one now.
 */
export const LIVE_OUTCOME_SQL = `case when h.outcome <> 'running' then h.outcome
     when h.details->'holder' is null then case when ?::boolean then 'running' else 'interrupted' end
     when exists (select 1 from pg_catalog.pg_locks l
                   where l.locktype = 'advisory' and l.granted and l.objsubid = 2
                     and l.database = (select oid from pg_catalog.pg_database where datname = current_database())
                     and l.classid = ((h.details#>>'{holder,key,0}')::int)::oid
                     and l.objid = ((h.details#>>'{holder,key,1}')::int)::oid
                     and l.pid = (h.details#>>'{holder,pid}')::int
                     and (h.details#>>'{holder,since}' is null
                          or not exists (select 1 from pg_catalog.pg_stat_activity a
                                          where a.pid = l.pid and a.backend_start is not null
                                            and extract(epoch from a.backend_start)::text <> h.details#>>'{holder,since}')))
       then 'running'
     else 'interrupted' end`;
