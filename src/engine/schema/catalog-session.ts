/**
 * Runs catalog queries on the caller's own connection with an empty search_path, so every name
 * PostgreSQL prints (types, defaults, view and index definitions) comes out schema-qualified and
 * the snapshot does not depend on the session's settings.
 */
import type { Knex } from 'knex';
import { LIST_PREPARED, batchingQueryable, canBatch, preparedNames } from './catalog-batch';
import { SYSTEM_SCHEMA_FILTER } from './catalog-filter';
import { quoteLiteral } from './sql-quoting';

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
export async function withCatalogSession<T>(db: Queryable, fn: (q: Queryable, prepared?: Set<string>) => Promise<T>): Promise<T> {
  // On pg, the session's own statements travel together (one round trip to open, one to close),
  // with the list of catalog statements already prepared on the connection (catalog-batch.ts).
  const run = (...statements: string[]) => (canBatch(db) ? db.raw(statements.join(';\n')) : statements.reduce<Promise<unknown>>((p, sql) => p.then(() => db.raw(sql)), Promise.resolve()));
  if ((db as Knex.Transaction).isTransaction) {
    const opened = canBatch(db) ? ((await run(`savepoint ${SAVEPOINT}`, SESSION_SETTINGS, LIST_PREPARED)) as unknown[]) : await run(`savepoint ${SAVEPOINT}`, SESSION_SETTINGS);
    try {
      return await fn(db, Array.isArray(opened) ? preparedNames(opened[opened.length - 1]) : undefined);
    } finally {
      // Undo the setting (and clear any error state) without touching the caller's work.
      await run(`rollback to savepoint ${SAVEPOINT}`, `release savepoint ${SAVEPOINT}`);
    }
  }
  return (db as Knex).transaction(async (trx) => {
    if (!canBatch(db)) {
      await runIn(trx, db, 'set transaction isolation level repeatable read, read only', SESSION_SETTINGS);
      return fn(trx);
    }
    const opened = (await trx.raw(['set transaction isolation level repeatable read, read only', SESSION_SETTINGS, LIST_PREPARED].join(';\n'))) as unknown as unknown[];
    return fn(trx, preparedNames(opened[opened.length - 1]));
  });
}

/** Statements on `trx`, together when its driver takes several at once (`like` tells which driver). */
async function runIn(trx: Queryable, like: Queryable, ...statements: string[]): Promise<void> {
  if (canBatch(like)) await trx.raw(statements.join(';\n'));
  else for (const sql of statements) await trx.raw(sql);
}

/** Independent catalog reads, by name: each runs its queries on the Queryable it is given. */
export type CatalogReads<R> = { [K in keyof R]: (q: Queryable) => Promise<R[K]> };

/** Connections a catalog read may use at once (the caller's pool allowing): past four the server's cores are the limit. */
const MAX_CATALOG_CONNECTIONS = 4;

/**
 * Below this many relations (tables, indexes, views) the reads take a few milliseconds of server
 * time each: opening more connections would cost more than running them side by side saves.
 */
const PARALLEL_FROM_RELATIONS = 400;

/**
 * Runs `reads` in one consistent view of the catalog. On one connection (inside a transaction,
 * on PGlite, or for a small schema) the reads run together: on pg their statements go out in
 * shared round trips (catalog-batch.ts), on PGlite one after another. On a plain Knex whose pool
 * has room, a large schema's reads are spread over several connections that share one exported
 * snapshot: the big queries (columns, indexes, constraints) spend their time in the server's
 * deparsing functions, one backend each, so they overlap instead of queueing. Reads start in the
 * order given: list the slow ones first.
 */
export async function readCatalog<R>(db: Queryable, reads: CatalogReads<R>): Promise<R> {
  const entries = Object.entries(reads) as [keyof R, (q: Queryable) => Promise<unknown>][];
  const together = async (q: Queryable, prepared?: Set<string>) => {
    const out = {} as R;
    if (canBatch(db)) {
      const batch = batchingQueryable(q, prepared);
      await Promise.all(entries.map(async ([name, read]) => void (out[name] = (await read(batch)) as R[typeof name])));
    } else {
      for (const [name, read] of entries) out[name] = (await read(q)) as R[typeof name];
    }
    return out;
  };
  const room = Math.min(MAX_CATALOG_CONNECTIONS, poolSize(db), entries.length);
  if ((db as Knex.Transaction).isTransaction || room < 2) return withCatalogSession(db, together);
  const knex = db as Knex;
  let exported = false;
  try {
    return await knex.transaction(async (main) => {
      const countSql = `select count(*)::int as n from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
         where c.relkind in ('r', 'p', 'i', 'I', 'v', 'm') and ${SYSTEM_SCHEMA_FILTER}`;
      let n: number;
      let prepared: Set<string> | undefined;
      if (canBatch(db)) {
        // The session's settings, the count and the prepared statements in one round trip.
        const results = (await main.raw(['set transaction isolation level repeatable read, read only', SESSION_SETTINGS, countSql, LIST_PREPARED].join(';\n'))) as unknown as { rows: { n: number }[] }[];
        n = results[results.length - 2].rows[0].n;
        prepared = preparedNames(results[results.length - 1]);
      } else {
        await runIn(main, db, 'set transaction isolation level repeatable read, read only', SESSION_SETTINGS);
        [{ n }] = await queryRows<{ n: number }>(main, countSql);
      }
      if (n < PARALLEL_FROM_RELATIONS) return together(main, prepared);
      const [{ id: snapshot }] = await queryRows<{ id: string }>(main, 'select pg_catalog.pg_export_snapshot() as id');
      exported = true;
      const out = {} as R;
      const queue = [...entries];
      const drain = async (q: Queryable) => {
        for (let next = queue.shift(); next; next = queue.shift()) out[next[0]] = (await next[1](q)) as R[keyof R];
      };
      const helper = () =>
        knex.transaction(async (trx) => {
          await runIn(trx, db, 'set transaction isolation level repeatable read, read only', `set transaction snapshot ${quoteSnapshot(snapshot)}`, SESSION_SETTINGS);
          await drain(trx);
        });
      await Promise.all([drain(main), ...Array.from({ length: room - 1 }, helper)]);
      return out;
    });
  } catch (error) {
    // A server that cannot export a snapshot (a standby during recovery, a PostgreSQL-like
    // server without it): the same reads on one connection, in one transaction.
    if (exported) throw error;
    return withCatalogSession(db, together);
  }
}

/** The largest number of connections the Knex instance's pool will hand out (1 for PGlite). */
function poolSize(db: Queryable): number {
  const client = (db as Knex).client as { pool?: { max?: number }; config?: { pool?: { max?: number } } } | undefined;
  return client?.pool?.max ?? client?.config?.pool?.max ?? 1;
}

function quoteSnapshot(id: string): string {
  return quoteLiteral(id);
}
