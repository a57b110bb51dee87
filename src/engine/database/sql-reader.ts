/**
 * Plain-SQL reads over either driver: a Knex instance (or transaction) or a bare `pg` client.
 * Read-only paths (status) use a bare client so a short CLI run need not load Knex at all.
 * Statements use Knex's `?` placeholders; the `pg` side numbers them.
 */
import type { Knex } from 'knex';

/** Run one statement and get its rows. */
export interface SqlReader {
  query<R = Record<string, unknown>>(sql: string, bindings?: readonly unknown[]): Promise<R[]>;
}

/** What the ledger and lock readers accept: Knex (or a transaction) or a reader. */
export type SqlSource = Knex | SqlReader;

function isKnex(source: SqlSource): source is Knex {
  return typeof (source as Knex).raw === 'function';
}

/** A reader over `source`. */
export function readerOf(source: SqlSource): SqlReader {
  if (!isKnex(source)) return source;
  return {
    async query<R>(sql: string, bindings: readonly unknown[] = []) {
      const result = await source.raw<{ rows: R[] }>(sql, bindings as Knex.RawBinding[]);
      return result.rows;
    },
  };
}

/**
 * `?` placeholders as `$1, $2…` for `pg`. Only for Stepstone's own statements: they hold no `?`
 * inside literals or operators, and `??` (Knex's identifier binding) is not used with a reader.
 */
export function numberPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** The subset of `pg.Client` a reader needs. */
export interface PgQueryable {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/** A reader over a connected `pg` client. */
export function pgReader(client: PgQueryable): SqlReader {
  return {
    async query<R>(sql: string, bindings: readonly unknown[] = []) {
      const result = await client.query(numberPlaceholders(sql), [...bindings]);
      return result.rows as R[];
    },
  };
}
