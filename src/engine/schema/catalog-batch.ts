/**
 * Catalog queries issued together, sent together: a Queryable over one `pg` connection that
 * gathers the statements the reads issue in the same turn of the event loop and sends them as
 * one multi-statement query (one round trip instead of one each). A small schema's introspection
 * is a dozen round trips of a millisecond of server work each; on a busy machine each costs far
 * more in waiting to be scheduled than in work, and a dry run introspects after every migration.
 */
import type { Knex } from 'knex';
import type { Queryable } from './catalog-session';
import { quoteLiteral } from './sql-quoting';

interface Pending {
  sql: string;
  resolve: (result: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Whether `db` runs on a `pg` connection: Knex's own client (named by a string in its config) or
 * Stepstone's subclass of it (pg-client.ts, which says so on its prototype, so Knex's transaction
 * clients made from that prototype say so too). knex-pglite is also a subclass of Knex's pg client
 * (its PGlite `query` takes one statement at a time) and is never batched.
 */
export function canBatch(db: Queryable): boolean {
  const client = (db as Knex).client as { driverName?: string; config?: { client?: unknown }; sendsMultiStatementQueries?: boolean } | undefined;
  return client?.driverName === 'pg' && (typeof client.config?.client === 'string' || client.sendsMultiStatementQueries === true);
}

/**
 * `?` bindings written into the text as literals: a multi-statement query has no parameters.
 * Only for the catalog queries' own bindings (schema lists as JSON text); their SQL holds no other `?`.
 */
function inline(sql: string, bindings: readonly unknown[]): string {
  let i = 0;
  return bindings.length === 0 ? sql : sql.replace(/\?/g, () => quoteLiteral(String(bindings[i++])));
}

/** A Queryable whose `raw` calls made together go to `trx` as one multi-statement query. */
export function batchingQueryable(trx: Queryable): Queryable {
  let pending: Pending[] = [];
  const flush = async () => {
    const batch = pending;
    pending = [];
    if (batch.length === 1) {
      await trx.raw(batch[0].sql).then(batch[0].resolve, batch[0].reject);
      return;
    }
    try {
      const results = (await trx.raw(batch.map((p) => p.sql).join(';\n'))) as unknown as unknown[];
      batch.forEach((p, i) => p.resolve(results[i]));
    } catch (error) {
      for (const p of batch) p.reject(error);
    }
  };
  const raw = (sql: string, bindings: readonly unknown[] = []) =>
    new Promise((resolve, reject) => {
      if (pending.length === 0) setImmediate(() => void flush());
      pending.push({ sql: inline(sql, bindings), resolve, reject });
    });
  return { raw } as unknown as Queryable;
}
