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
