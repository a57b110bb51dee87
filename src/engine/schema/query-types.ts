/** Catalog query for user-defined types: enums, domains, standalone composites and ranges (base types are only named). */
import { queryRows, type Queryable } from './catalog-session';
import { notExtensionMember, schemaFilter } from './catalog-filter';

export interface TypeRow {
  schema: string;
  name: string;
  /** pg_type.typtype: e enum, d domain, c composite, r range, b base. */
  kind: string;
  comment: string | null;
  /** Enum labels in sort order (empty for other kinds). */
  values: string[];
  /** Domains: base type, collation (when not the base type's), default, NOT NULL, check constraints. */
  baseType: string | null;
  collation: string | null;
  default: string | null;
  notNull: boolean;
  constraints: { name: string; definition: string }[] | null;
  /** Composites: attributes in order. */
  attributes: { name: string; type: string; collation: string | null }[] | null;
  /** Ranges: the subtype, and whether any option other than the subtype is set. */
  subtype: string | null;
  rangeOptions: boolean;
}

const QUALIFIED_COLLATION = (oid: string) => `(select pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname)
  from pg_catalog.pg_collation co join pg_catalog.pg_namespace cn on cn.oid = co.collnamespace where co.oid = ${oid})`;

/** Enums, domains, standalone composite types, ranges and base types in the selected schemas. */
export async function queryTypes(db: Queryable, schemas?: readonly string[]): Promise<TypeRow[]> {
  const filter = schemaFilter(schemas);
  return queryRows<TypeRow>(
    db,
    `select n.nspname as schema, t.typname as name, t.typtype::text as kind, dsc.description as comment,
       case when t.typtype = 'e' then
         array(select e.enumlabel from pg_catalog.pg_enum e where e.enumtypid = t.oid order by e.enumsortorder)::text[]
       else '{}'::text[] end as values,
       case when t.typtype = 'd' then pg_catalog.format_type(t.typbasetype, t.typtypmod) end as "baseType",
       case when t.typtype = 'd' and t.typcollation <> 0 and t.typcollation <> bt.typcollation
         then ${QUALIFIED_COLLATION('t.typcollation')} end as collation,
       case when t.typtype = 'd' then pg_catalog.pg_get_expr(t.typdefaultbin, 0) end as default,
       t.typnotnull as "notNull",
       case when t.typtype = 'd' then (select coalesce(json_agg(json_build_object('name', con.conname,
                 'definition', pg_catalog.pg_get_constraintdef(con.oid)) order by con.conname), '[]'::json)
               from pg_catalog.pg_constraint con where con.contypid = t.oid and con.contype = 'c') end as constraints,
       case when t.typtype = 'c' then (select coalesce(json_agg(json_build_object('name', a.attname,
                 'type', pg_catalog.format_type(a.atttypid, a.atttypmod),
                 'collation', case when a.attcollation <> 0 and a.attcollation <> at.typcollation
                   then ${QUALIFIED_COLLATION('a.attcollation')} end) order by a.attnum), '[]'::json)
               from pg_catalog.pg_attribute a join pg_catalog.pg_type at on at.oid = a.atttypid
               where a.attrelid = t.typrelid and a.attnum > 0 and not a.attisdropped) end as attributes,
       case when t.typtype = 'r' then pg_catalog.format_type(r.rngsubtype, null) end as subtype,
       coalesce(r.rngcanonical <> 0 or r.rngsubdiff <> 0
         or (r.rngcollation <> 0 and r.rngcollation <> st.typcollation)
         or not exists (select 1 from pg_catalog.pg_opclass oc where oc.oid = r.rngsubopc and oc.opcdefault), false) as "rangeOptions"
     from pg_catalog.pg_type t
     join pg_catalog.pg_namespace n on n.oid = t.typnamespace
     left join pg_catalog.pg_class c on c.oid = t.typrelid
     left join pg_catalog.pg_type bt on bt.oid = t.typbasetype
     left join pg_catalog.pg_range r on r.rngtypid = t.oid
     left join pg_catalog.pg_type st on st.oid = r.rngsubtype
     left join pg_catalog.pg_description dsc on dsc.classoid = 'pg_catalog.pg_type'::regclass and dsc.objoid = t.oid and dsc.objsubid = 0
     where (t.typtype in ('e', 'd', 'r') or (t.typtype = 'c' and c.relkind = 'c')
            or (t.typtype = 'b' and not exists (select 1 from pg_catalog.pg_type el where el.typarray = t.oid)))
       and ${filter.sql}
       and ${notExtensionMember('pg_catalog.pg_type', 't.oid')}`,
    filter.bindings,
  );
}
