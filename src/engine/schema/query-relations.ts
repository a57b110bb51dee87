/** Catalog queries for tables, their columns, views and materialized views. */
import type { Column } from '../../shared/schema';
import { queryRows, type Queryable } from './catalog-session';
import { notExtensionMember, schemaFilter } from './catalog-filter';

export interface RelationRow {
  schema: string;
  name: string;
  /** pg_class.relkind: r table, p partitioned table, v view, m materialized view, f foreign table. */
  kind: string;
  comment: string | null;
  unlogged: boolean;
  isPartition: boolean;
  inherits: boolean;
  rowSecurity: boolean;
  hasGrants: boolean;
  /** pg_class.reloptions: storage parameters of a table, options of a view. */
  options: string[] | null;
  /** Replica identity other than the default, typed table (OF type), forced row security, comments on view columns. */
  replicaIdentity: boolean;
  typedTable: boolean;
  forceRowSecurity: boolean;
  viewColumnComments: boolean;
  viewDefinition: string | null;
  /** Views and materialized views this view reads, as "schema.name". */
  dependsOn: string[];
}

/** Every table, view and materialized view in the selected schemas, extensions' own excluded. */
export async function queryRelations(db: Queryable, schemas?: readonly string[]): Promise<RelationRow[]> {
  const filter = schemaFilter(schemas);
  return queryRows<RelationRow>(
    db,
    `select n.nspname as schema, c.relname as name, c.relkind::text as kind,
       dsc.description as comment,
       c.relpersistence = 'u' as unlogged, c.relispartition as "isPartition",
       exists (select 1 from pg_catalog.pg_inherits i where i.inhrelid = c.oid) and not c.relispartition as inherits,
       c.relrowsecurity as "rowSecurity", c.relacl is not null as "hasGrants", c.reloptions::text[] as options,
       c.relkind in ('r', 'p') and c.relreplident <> 'd' as "replicaIdentity", c.reloftype <> 0 as "typedTable",
       c.relforcerowsecurity as "forceRowSecurity",
       c.relkind in ('v', 'm') and exists (select 1 from pg_catalog.pg_description cd
         where cd.classoid = 'pg_catalog.pg_class'::regclass and cd.objoid = c.oid and cd.objsubid > 0) as "viewColumnComments",
       case when c.relkind in ('v', 'm') then pg_catalog.pg_get_viewdef(c.oid) end as "viewDefinition",
       case when c.relkind in ('v', 'm') then array(
         select distinct rn.nspname || '.' || rc.relname
         from pg_catalog.pg_rewrite r
         join pg_catalog.pg_depend d on d.classid = 'pg_catalog.pg_rewrite'::regclass and d.objid = r.oid
           and d.refclassid = 'pg_catalog.pg_class'::regclass and d.refobjid <> c.oid
         join pg_catalog.pg_class rc on rc.oid = d.refobjid and rc.relkind in ('v', 'm')
         join pg_catalog.pg_namespace rn on rn.oid = rc.relnamespace
         where r.ev_class = c.oid)::text[]
       else '{}'::text[] end as "dependsOn"
     from pg_catalog.pg_class c
     join pg_catalog.pg_namespace n on n.oid = c.relnamespace
     left join pg_catalog.pg_description dsc on dsc.classoid = 'pg_catalog.pg_class'::regclass
       and dsc.objoid = c.oid and dsc.objsubid = 0
     where c.relkind in ('r', 'p', 'v', 'm', 'f') and ${filter.sql}
       and ${notExtensionMember('pg_catalog.pg_class', 'c.oid')}`,
    filter.bindings,
  );
}

/** A column as the snapshot holds it, with its table and what the snapshot leaves out. */
export interface ColumnRow {
  schema: string;
  table: string;
  column: Column;
  /** Column settings the snapshot does not capture: SET STORAGE, SET COMPRESSION, SET STATISTICS, column grants. */
  storage: boolean;
  grants: boolean;
  compression: boolean;
  statistics: boolean;
}

interface RawColumnRow {
  schema: string;
  table: string;
  name: string;
  type: string;
  notNull: boolean;
  expression: string | null;
  /** attidentity, attgenerated: null for none. */
  identity: string | null;
  generated: string | null;
  collation: string | null;
  comment: string | null;
  /** What the snapshot leaves out, one bit each (GAP_*); null for none, as on nearly every column. */
  gaps: number | null;
}

const GAP_STORAGE = 1;
const GAP_COMPRESSION = 2;
const GAP_STATISTICS = 4;
const GAP_GRANTS = 8;

/** Columns of every table in the selected schemas, in table order then column position (`serverVersion`: server_version_num). */
export async function queryColumns(db: Queryable, schemas: readonly string[] | undefined, serverVersion: number): Promise<ColumnRow[]> {
  const filter = schemaFilter(schemas);
  const rows = await queryRows<RawColumnRow>(
    db,
    `select n.nspname as schema, c.relname as table, a.attname as name,
       pg_catalog.format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as "notNull",
       -- A default holds no column references: deparsed without its table, which would open (and
       -- lock) every table — a cold relation cache entry each, and one lock each within the
       -- transaction's budget. A generated column's expression names columns: it needs the table.
       pg_catalog.pg_get_expr(ad.adbin, case when a.attgenerated <> '' then ad.adrelid else 0 end) as expression,
       -- Tens of thousands of rows on a large schema: parsing them is most of this read's cost in
       -- Node, by the field, so what is nearly always empty comes as one null (identity, generated,
       -- the settings the snapshot leaves out as one bit set) rather than as several values.
       nullif(a.attidentity::text, '') as identity, nullif(a.attgenerated::text, '') as generated,
       case when a.attcollation <> t.typcollation and a.attcollation <> 0 then
         (select pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname)
          from pg_catalog.pg_collation co join pg_catalog.pg_namespace cn on cn.oid = co.collnamespace
          where co.oid = a.attcollation) end as collation,
       dsc.description as comment,
       nullif((a.attstorage <> t.typstorage)::int * ${GAP_STORAGE}
         + ${serverVersion >= 140000 ? "(a.attcompression <> '')::int" : '0'} * ${GAP_COMPRESSION}
         + (coalesce(a.attstattarget, -1) >= 0)::int * ${GAP_STATISTICS} + (a.attacl is not null)::int * ${GAP_GRANTS}, 0) as gaps
     from pg_catalog.pg_attribute a
     join pg_catalog.pg_class c on c.oid = a.attrelid
     join pg_catalog.pg_namespace n on n.oid = c.relnamespace
     join pg_catalog.pg_type t on t.oid = a.atttypid
     left join pg_catalog.pg_attrdef ad on ad.adrelid = a.attrelid and ad.adnum = a.attnum
     -- A join, not col_description(): one lookup per column was a third of this query's time.
     left join pg_catalog.pg_description dsc on dsc.classoid = 'pg_catalog.pg_class'::regclass
       and dsc.objoid = a.attrelid and dsc.objsubid = a.attnum
     where c.relkind in ('r', 'p', 'f') and a.attnum > 0 and not a.attisdropped and ${filter.sql}
       and ${notExtensionMember('pg_catalog.pg_class', 'c.oid')}
     order by n.nspname, c.relname, a.attnum`,
    filter.bindings,
  );
  return rows.map((r) => {
    const generated = r.generated === 's' ? 'stored' : r.generated === 'v' ? 'virtual' : null;
    return {
      schema: r.schema,
      table: r.table,
      column: {
        name: r.name,
        type: r.type,
        nullable: !r.notNull,
        default: generated ? null : r.expression,
        identity: r.identity === 'a' ? 'always' : r.identity === 'd' ? 'by default' : null,
        // Filled from the identity sequences (querySequences) by introspectSchema.
        identitySequence: null,
        generated: generated ? r.expression : null,
        generatedKind: generated,
        collation: r.collation,
        comment: r.comment,
      },
      storage: gaps(r, GAP_STORAGE),
      compression: gaps(r, GAP_COMPRESSION),
      statistics: gaps(r, GAP_STATISTICS),
      grants: gaps(r, GAP_GRANTS),
    };
  });
}

function gaps(r: RawColumnRow, bit: number): boolean {
  return r.gaps !== null && (Number(r.gaps) & bit) !== 0;
}
