/** Catalog query for indexes of tables and materialized views. */
import type { Index } from '../../shared/schema';
import { queryRows, type Queryable } from './catalog-session';
import { notExtensionMember, schemaFilter } from './catalog-filter';

/** An index as the snapshot holds it, with its table (or materialized view). */
export interface IndexRow {
  schema: string;
  table: string;
  index: Index;
  /** CLUSTER ON this index (not captured). */
  clustered: boolean;
}

interface RawIndexRow extends Index {
  schema: string;
  table: string;
  clustered: boolean;
}

/** Indexes in the selected schemas, each with its key columns/expressions and backing constraint. */
export async function queryIndexes(db: Queryable, schemas?: readonly string[]): Promise<IndexRow[]> {
  const filter = schemaFilter(schemas);
  const rows = await queryRows<RawIndexRow>(
    db,
    `select n.nspname as schema, c.relname as table, ic.relname as name, am.amname as method,
       i.indisunique as unique, i.indisprimary as primary,
       -- Plain columns by name; only expressions need the (slower) deparser.
       array(select case when i.indkey[k - 1] <> 0
                 then (select pg_catalog.quote_ident(a.attname) from pg_catalog.pg_attribute a
                       where a.attrelid = i.indrelid and a.attnum = i.indkey[k - 1])
                 else pg_catalog.pg_get_indexdef(i.indexrelid, k, true) end
             from generate_series(1, i.indnkeyatts) k order by k)::text[] as keys,
       pg_catalog.pg_get_expr(i.indpred, i.indrelid, true) as predicate,
       pg_catalog.pg_get_indexdef(i.indexrelid) as definition,
       (select con.conname from pg_catalog.pg_constraint con
        where con.conindid = i.indexrelid and con.conrelid = i.indrelid and con.contype in ('p', 'u', 'x')
        limit 1) as constraint,
       dsc.description as comment, i.indisclustered as clustered
     from pg_catalog.pg_index i
     join pg_catalog.pg_class ic on ic.oid = i.indexrelid
     join pg_catalog.pg_class c on c.oid = i.indrelid
     join pg_catalog.pg_namespace n on n.oid = c.relnamespace
     join pg_catalog.pg_am am on am.oid = ic.relam
     left join pg_catalog.pg_description dsc on dsc.classoid = 'pg_catalog.pg_class'::regclass and dsc.objoid = i.indexrelid and dsc.objsubid = 0
     where c.relkind in ('r', 'p', 'm') and ${filter.sql}
       and ${notExtensionMember('pg_catalog.pg_class', 'c.oid')}`,
    filter.bindings,
  );
  return rows.map((r) => ({
    schema: r.schema,
    table: r.table,
    clustered: r.clustered,
    index: {
      name: r.name,
      method: r.method,
      unique: r.unique,
      primary: r.primary,
      keys: r.keys,
      predicate: r.predicate ?? null,
      definition: r.definition,
      constraint: r.constraint ?? null,
      comment: r.comment ?? null,
    },
  }));
}
