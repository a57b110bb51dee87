/** Catalog query for user-defined types: enums are captured, other kinds are only named. */
import { queryRows, type Queryable } from './catalog-session';
import { notExtensionMember, schemaFilter } from './catalog-filter';

export interface TypeRow {
  schema: string;
  name: string;
  /** pg_type.typtype: e enum, d domain, c composite, r range, b base. */
  kind: string;
  /** Enum labels in sort order (empty for other kinds). */
  values: string[];
}

/** Enums, domains, standalone composite types, ranges and base types in the selected schemas. */
export async function queryTypes(db: Queryable, schemas?: readonly string[]): Promise<TypeRow[]> {
  const filter = schemaFilter(schemas);
  return queryRows<TypeRow>(
    db,
    `select n.nspname as schema, t.typname as name, t.typtype::text as kind,
       array(select e.enumlabel from pg_catalog.pg_enum e where e.enumtypid = t.oid order by e.enumsortorder)::text[] as values
     from pg_catalog.pg_type t
     join pg_catalog.pg_namespace n on n.oid = t.typnamespace
     left join pg_catalog.pg_class c on c.oid = t.typrelid
     where (t.typtype in ('e', 'd', 'r') or (t.typtype = 'c' and c.relkind = 'c')
            or (t.typtype = 'b' and not exists (select 1 from pg_catalog.pg_type el where el.typarray = t.oid)))
       and ${filter.sql}
       and ${notExtensionMember('pg_catalog.pg_type', 't.oid')}`,
    filter.bindings,
  );
}
