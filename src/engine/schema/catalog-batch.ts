/**
 * Catalog queries issued together, sent together: a Queryable over one `pg` connection that
 * gathers the statements the reads issue in the same turn of the event loop and sends them as
 * one multi-statement query (one round trip instead of one each). A small schema's introspection
 * is a dozen round trips of a millisecond of server work each; on a busy machine each costs far
 * more in waiting to be scheduled than in work, and a dry run introspects after every migration.
 */
import { createHash } from 'node:crypto';
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

/**
 * Catalog statements are prepared on their connection the first time and executed by name after:
 * a catalog query's planning costs more than running it on a small schema (about 8 of 14 ms for
 * the sample project's introspection), and a dry run introspects after every migration on one
 * connection. A prepared statement outlives the transaction (and the savepoint) it was prepared in
 * and lasts as long as the server session; its plan follows the catalog (PostgreSQL re-plans on a
 * change to search_path or to a table it reads). Which exist is read from pg_prepared_statements
 * when a catalog session opens (catalog-session.ts), so a session the server reset is no problem.
 */
const PREPARED_PREFIX = 'stepstone_catalog_';

/** The statement names prepared on this connection (a catalog session's first statements read them). */
export const LIST_PREPARED = `select name from pg_catalog.pg_prepared_statements where left(name, ${PREPARED_PREFIX.length}) = '${PREPARED_PREFIX}'`;

/** The names in LIST_PREPARED's result. */
export function preparedNames(result: unknown): Set<string> {
  const rows = (result as { rows?: { name: string }[] } | undefined)?.rows ?? [];
  return new Set(rows.map((r) => r.name));
}

function statementName(sql: string): string {
  return PREPARED_PREFIX + createHash('sha1').update(sql).digest('hex').slice(0, 24);
}

/**
 * A Queryable whose `raw` calls made together go to `trx` as one multi-statement query. With
 * `prepared` (the names already prepared on `trx`'s connection), each statement is prepared once
 * and executed by name.
 */
export function batchingQueryable(trx: Queryable, prepared?: Set<string>): Queryable {
  let pending: Pending[] = [];
  const flush = async () => {
    const batch = pending;
    pending = [];
    const parts: string[] = [];
    const resultAt: number[] = [];
    const preparedNow: string[] = [];
    for (const p of batch) {
      if (prepared) {
        const name = statementName(p.sql);
        if (!prepared.has(name)) {
          parts.push(`prepare ${name} as ${p.sql}`);
          prepared.add(name);
          preparedNow.push(name);
        }
        resultAt.push(parts.length);
        parts.push(`execute ${name}`);
      } else {
        resultAt.push(parts.length);
        parts.push(p.sql);
      }
    }
    try {
      const result = (await trx.raw(parts.join(';\n'))) as unknown;
      const results = parts.length === 1 ? [result] : (result as unknown[]);
      batch.forEach((p, i) => p.resolve(results[resultAt[i]]));
    } catch (error) {
      // Whether they were prepared is unknown: the next catalog session reads it from the server.
      for (const name of preparedNow) prepared?.delete(name);
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
