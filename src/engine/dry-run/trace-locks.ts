/**
 * Lock tracing for the dry run: right after each captured statement, on the same connection and
 * inside the same transaction, read the relation locks this backend holds (pg_locks for its own
 * pid) and each locked table's relfilenode. Locks not held before are the statement's; a table
 * whose relfilenode changed was rewritten. The read is queued on the connection before the
 * migration can send its next statement, so each reading belongs to exactly one statement.
 */
import type { Knex } from 'knex';
import type { RelationName, StatementTrace } from '../../shared/lint';

/** The part of a `pg` client the tracer uses. */
interface PgConnection {
  query(sql: string): Promise<{ rows: Record<string, unknown>[] }>;
}

interface HeldLock {
  oid: string;
  schema: string;
  name: string;
  mode: string;
  filenode: string;
}

// User tables, partitioned tables and materialized views only: catalogs (which the read itself locks) and indexes are left out.
const HELD_LOCKS_SQL = `
select c.oid::text as oid, n.nspname as schema, c.relname as name, l.mode, c.relfilenode::text as filenode
  from pg_catalog.pg_locks l
  join pg_catalog.pg_class c on c.oid = l.relation
  join pg_catalog.pg_namespace n on n.oid = c.relnamespace
 where l.pid = pg_catalog.pg_backend_pid() and l.locktype = 'relation' and l.granted
   and c.relkind in ('r', 'p', 'm')
   and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname !~ '^pg_(toast|temp)'`;

const FILENODES_SQL = `
select c.oid::text as oid, c.relfilenode::text as filenode
  from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
 where c.relkind in ('r', 'p', 'm') and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname !~ '^pg_(toast|temp)'`;

/** Reads locks after each statement on one transaction's connection. */
export interface LockTracer {
  where: StatementTrace['where'];
  /**
   * Queues the reading on the connection now (call it synchronously when the statement's response
   * arrives); resolves with what the statement newly took and rewrote.
   */
  readAfterStatement(): Promise<Pick<StatementTrace, 'acquired' | 'rewritten'>>;
}

/** The connection a Knex transaction runs on (a transaction's client always hands out the same one). */
export async function connectionOf(trx: Knex.Transaction): Promise<PgConnection> {
  return (await (trx.client as { acquireConnection(): Promise<PgConnection> }).acquireConnection()) as PgConnection;
}

/** Starts tracing on `trx`: records the relfilenodes and locks as they are before the first statement. */
export async function startLockTrace(trx: Knex.Transaction, where: StatementTrace['where'], excludeTables: string[]): Promise<LockTracer> {
  const connection = await connectionOf(trx);
  const excluded = new Set(excludeTables.map((t) => (t.includes('.') ? t : `public.${t}`)));
  const filenodes = new Map<string, string>();
  for (const row of (await connection.query(FILENODES_SQL)).rows) filenodes.set(String(row.oid), String(row.filenode));
  const held = new Set<string>();
  for (const lock of (await connection.query(HELD_LOCKS_SQL)).rows as unknown as HeldLock[]) held.add(`${lock.oid}:${lock.mode}`);
  return {
    where,
    readAfterStatement() {
      return connection.query(HELD_LOCKS_SQL).then(({ rows }) => {
        const acquired: StatementTrace['acquired'] = [];
        const rewritten: RelationName[] = [];
        for (const lock of rows as unknown as HeldLock[]) {
          if (excluded.has(`${lock.schema}.${lock.name}`)) continue;
          const key = `${lock.oid}:${lock.mode}`;
          if (!held.has(key)) {
            held.add(key);
            acquired.push({ schema: lock.schema, name: lock.name, mode: lock.mode });
          }
          const before = filenodes.get(lock.oid);
          if (before !== undefined && before !== lock.filenode && !rewritten.some((r) => r.schema === lock.schema && r.name === lock.name)) {
            rewritten.push({ schema: lock.schema, name: lock.name });
          }
          filenodes.set(lock.oid, lock.filenode);
        }
        return { acquired, rewritten };
      });
    },
  };
}

/** The trace of a statement that ran outside a transaction on the scratch copy: its locks could not be read. */
export function untracedStatement(): StatementTrace {
  return { locks: 'untraced', where: 'scratch', acquired: [], rewritten: [], rowCount: null, durationMs: null };
}
