/**
 * Runs catalog queries on the caller's own connection with an empty search_path, so every name
 * PostgreSQL prints (types, defaults, view and index definitions) comes out schema-qualified and
 * the snapshot does not depend on the session's settings.
 */
import type { Knex } from 'knex';

/** A Knex instance or transaction: queries only ever go through `raw`, on its own connection. */
export type Queryable = Knex | Knex.Transaction;

/** Runs a query and returns its rows (for `pg` and for knex-pglite, whose results differ slightly). */
export async function queryRows<T>(db: Queryable, sql: string, bindings: readonly unknown[] = []): Promise<T[]> {
  const result: unknown = await db.raw(sql, bindings as Knex.RawBinding[]);
  if (Array.isArray(result)) return result as T[];
  const rows = (result as { rows?: unknown }).rows;
  return Array.isArray(rows) ? (rows as T[]) : [];
}

const SAVEPOINT = 'stepstone_introspect';

/**
 * Empty search_path: qualified names everywhere. JIT off: the planner's guesses for the per-row
 * array subqueries cross the JIT threshold and compiling cost more than the whole query (~140 ms).
 */
const SESSION_SETTINGS = `select set_config('search_path', '', true), set_config('jit', 'off', true)`;

/**
 * Calls `fn` inside a read-only catalog session: a savepoint of the caller's transaction (rolled
 * back afterwards, which also restores search_path) or, for a plain Knex, a short repeatable-read
 * transaction so all queries see one consistent state.
 */
export async function withCatalogSession<T>(db: Queryable, fn: (q: Queryable) => Promise<T>): Promise<T> {
  if ((db as Knex.Transaction).isTransaction) {
    await db.raw(`savepoint ${SAVEPOINT}`);
    try {
      await db.raw(SESSION_SETTINGS);
      return await fn(db);
    } finally {
      // Undo the setting (and clear any error state) without touching the caller's work.
      await db.raw(`rollback to savepoint ${SAVEPOINT}`);
      await db.raw(`release savepoint ${SAVEPOINT}`);
    }
  }
  return (db as Knex).transaction(async (trx) => {
    await trx.raw('set transaction isolation level repeatable read, read only');
    await trx.raw(SESSION_SETTINGS);
    return fn(trx);
  });
}

/** Independent catalog reads, by name: each runs its queries on the Queryable it is given. */
export type CatalogReads<R> = { [K in keyof R]: (q: Queryable) => Promise<R[K]> };

/** Connections a catalog read may use at once (the caller's pool allowing): past four the server's cores are the limit. */
const MAX_CATALOG_CONNECTIONS = 4;

/**
 * Runs `reads` in one consistent view of the catalog. On a plain Knex whose pool has room, the
 * reads are spread over several connections that share one exported snapshot (the big queries —
 * columns, indexes, constraints — spend their time in the server's deparsing functions, one
 * backend each, so they overlap instead of queueing); inside a transaction, on a single
 * connection (PGlite) or where a snapshot cannot be exported, they run one after another in one
 * catalog session. Reads are started in the order given: list the slow ones first.
 */
export async function readCatalog<R>(db: Queryable, reads: CatalogReads<R>): Promise<R> {
  const entries = Object.entries(reads) as [keyof R, (q: Queryable) => Promise<unknown>][];
  const serially = async (q: Queryable) => {
    const out = {} as R;
    for (const [name, read] of entries) out[name] = (await read(q)) as R[typeof name];
    return out;
  };
  const room = Math.min(MAX_CATALOG_CONNECTIONS, poolSize(db), entries.length);
  if ((db as Knex.Transaction).isTransaction || room < 2) return withCatalogSession(db, serially);
  const knex = db as Knex;
  let exported = false;
  try {
    return await knex.transaction(async (main) => {
      await main.raw('set transaction isolation level repeatable read, read only');
      await main.raw(SESSION_SETTINGS);
      const [{ id: snapshot }] = await queryRows<{ id: string }>(main, 'select pg_catalog.pg_export_snapshot() as id');
      exported = true;
      const out = {} as R;
      const queue = [...entries];
      const drain = async (q: Queryable) => {
        for (let next = queue.shift(); next; next = queue.shift()) out[next[0]] = (await next[1](q)) as R[keyof R];
      };
      const helper = () =>
        knex.transaction(async (trx) => {
          await trx.raw('set transaction isolation level repeatable read, read only');
          await trx.raw(`set transaction snapshot ${quoteSnapshot(snapshot)}`);
          await trx.raw(SESSION_SETTINGS);
          await drain(trx);
        });
      await Promise.all([drain(main), ...Array.from({ length: room - 1 }, helper)]);
      return out;
    });
  } catch (error) {
    // A server that cannot export a snapshot (a standby during recovery, a PostgreSQL-like
    // server without it): the same reads, one after another, in one transaction.
    if (exported) throw error;
    return withCatalogSession(db, serially);
  }
}

/** The largest number of connections the Knex instance's pool will hand out (1 for PGlite). */
function poolSize(db: Queryable): number {
  const client = (db as Knex).client as { pool?: { max?: number }; config?: { pool?: { max?: number } } } | undefined;
  return client?.pool?.max ?? client?.config?.pool?.max ?? 1;
}

function quoteSnapshot(id: string): string {
  return `'${id.replace(/'/g, "''")}'`;
}
