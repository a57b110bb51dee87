/** Catalog query for sequences (identity columns' own sequences are part of the column, not listed). */
import type { Sequence } from '../../shared/schema';
import { queryRows, type Queryable } from './catalog-session';
import { notExtensionMember, schemaFilter } from './catalog-filter';

interface RawSequenceRow extends Omit<Sequence, 'ownedBy'> {
  ownerTable: string | null;
  ownerColumn: string | null;
}

/** Sequences in the selected schemas with their options and owning column. */
export async function querySequences(db: Queryable, schemas?: readonly string[]): Promise<Sequence[]> {
  const filter = schemaFilter(schemas);
  const rows = await queryRows<RawSequenceRow>(
    db,
    `select n.nspname as schema, c.relname as name, pg_catalog.format_type(s.seqtypid, null) as "dataType",
       s.seqstart::text as start, s.seqincrement::text as increment, s.seqmin::text as min, s.seqmax::text as max,
       s.seqcycle as cycle, s.seqcache::text as cache,
       oc.relname as "ownerTable", oa.attname as "ownerColumn"
     from pg_catalog.pg_sequence s
     join pg_catalog.pg_class c on c.oid = s.seqrelid
     join pg_catalog.pg_namespace n on n.oid = c.relnamespace
     -- LATERAL: one index probe per sequence. A plain join lets the planner (with catalog statistics
     -- stale right after a migration created many tables) rescan every ownership row per sequence.
     left join lateral (select d.refobjid, d.refobjsubid from pg_catalog.pg_depend d
                        where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = c.oid
                          and d.refclassid = 'pg_catalog.pg_class'::regclass and d.refobjsubid > 0 and d.deptype = 'a'
                        limit 1) od on true
     left join pg_catalog.pg_class oc on oc.oid = od.refobjid
     left join pg_catalog.pg_attribute oa on oa.attrelid = od.refobjid and oa.attnum = od.refobjsubid
     where ${filter.sql}
       and ${notExtensionMember('pg_catalog.pg_class', 'c.oid')}
       and not exists (select 1 from pg_catalog.pg_depend d where d.classid = 'pg_catalog.pg_class'::regclass
                       and d.objid = c.oid and d.deptype = 'i')`,
    filter.bindings,
  );
  return rows.map(({ ownerTable, ownerColumn, ...sequence }) => ({
    ...sequence,
    ownedBy: ownerTable && ownerColumn ? { table: ownerTable, column: ownerColumn } : null,
  }));
}
