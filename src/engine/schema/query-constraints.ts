/** Catalog query for table constraints: primary key, unique, check, exclusion and foreign keys. */
import type { Constraint } from '../../shared/schema';
import { queryRows, type Queryable } from './catalog-session';
import { notExtensionMember, schemaFilter } from './catalog-filter';

/** A constraint as the snapshot holds it, with its table. */
export interface ConstraintRow {
  schema: string;
  table: string;
  constraint: Constraint;
}

interface RawConstraintRow {
  schema: string;
  table: string;
  name: string;
  type: string;
  definition: string;
  columns: string[];
  refSchema: string | null;
  refTable: string | null;
  refColumns: string[] | null;
  onUpdate: string;
  onDelete: string;
  comment: string | null;
}

const KINDS: Record<string, Constraint['kind']> = { p: 'primary', u: 'unique', c: 'check', x: 'exclusion', f: 'foreign' };

const ACTIONS: Record<string, string> = {
  a: 'no action',
  r: 'restrict',
  c: 'cascade',
  n: 'set null',
  d: 'set default',
};

/** Constraints of every table in the selected schemas (NOT NULL is a column property, not listed here). */
export async function queryConstraints(db: Queryable, schemas?: readonly string[]): Promise<ConstraintRow[]> {
  const filter = schemaFilter(schemas);
  const rows = await queryRows<RawConstraintRow>(
    db,
    `select n.nspname as schema, c.relname as table, con.conname as name, con.contype::text as type,
       pg_catalog.pg_get_constraintdef(con.oid) as definition,
       array(select a.attname from unnest(con.conkey) with ordinality k(num, ord)
             join pg_catalog.pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.num
             order by k.ord)::text[] as columns,
       fn.nspname as "refSchema", fc.relname as "refTable",
       case when con.contype = 'f' then array(select a.attname from unnest(con.confkey) with ordinality k(num, ord)
             join pg_catalog.pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.num
             order by k.ord)::text[] end as "refColumns",
       con.confupdtype::text as "onUpdate", con.confdeltype::text as "onDelete", dsc.description as comment
     from pg_catalog.pg_constraint con
     join pg_catalog.pg_class c on c.oid = con.conrelid
     join pg_catalog.pg_namespace n on n.oid = c.relnamespace
     left join pg_catalog.pg_class fc on fc.oid = con.confrelid
     left join pg_catalog.pg_namespace fn on fn.oid = fc.relnamespace
     left join pg_catalog.pg_description dsc on dsc.classoid = 'pg_catalog.pg_constraint'::regclass and dsc.objoid = con.oid and dsc.objsubid = 0
     where con.contype in ('p', 'u', 'c', 'x', 'f') and c.relkind in ('r', 'p', 'f')
       and con.conislocal and ${filter.sql}
       and ${notExtensionMember('pg_catalog.pg_class', 'c.oid')}`,
    filter.bindings,
  );
  return rows.map((r) => ({
    schema: r.schema,
    table: r.table,
    constraint: {
      name: r.name,
      kind: KINDS[r.type],
      columns: r.columns,
      definition: r.definition,
      references:
        r.type === 'f'
          ? {
              schema: r.refSchema ?? '',
              table: r.refTable ?? '',
              columns: r.refColumns ?? [],
              onUpdate: ACTIONS[r.onUpdate] ?? r.onUpdate,
              onDelete: ACTIONS[r.onDelete] ?? r.onDelete,
            }
          : null,
      comment: r.comment,
    },
  }));
}
