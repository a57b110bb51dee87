/** Catalog query for sequences: standalone ones, and identity columns' own (which belong to their column). */
import type { Sequence } from '../../shared/schema';
import { queryRows, type Queryable } from './catalog-session';
import { notExtensionMember, schemaFilter } from './catalog-filter';

interface RawSequenceRow extends Omit<Sequence, 'ownedBy'> {
  ownerTable: string | null;
  ownerColumn: string | null;
  identity: boolean;
}

export interface SequenceRows {
  /** Standalone sequences (serial ones included), with their owning column. */
  sequences: Sequence[];
  /** Identity columns' sequences, by the column they belong to. */
  identity: (Sequence & { ownedBy: { table: string; column: string } })[];
}

/** Sequences in the selected schemas with their options and owning column. */
export async function querySequences(db: Queryable, schemas?: readonly string[]): Promise<SequenceRows> {
  const filter = schemaFilter(schemas);
  const rows = await queryRows<RawSequenceRow>(
    db,
    `select n.nspname as schema, c.relname as name, pg_catalog.format_type(s.seqtypid, null) as "dataType",
       s.seqstart::text as start, s.seqincrement::text as increment, s.seqmin::text as min, s.seqmax::text as max,
       s.seqcycle as cycle, s.seqcache::text as cache,
       oc.relname as "ownerTable", oa.attname as "ownerColumn", od.deptype = 'i' as identity, dsc.description as comment
     from pg_catalog.pg_sequence s
     join pg_catalog.pg_class c on c.oid = s.seqrelid
     join pg_catalog.pg_namespace n on n.oid = c.relnamespace
     -- LATERAL: one index probe per sequence. A plain join lets the planner (with catalog statistics
     -- stale right after a migration created many tables) rescan every ownership row per sequence.
     -- deptype 'a': serial or OWNED BY; 'i': an identity column's own sequence.
     left join lateral (select d.refobjid, d.refobjsubid, d.deptype from pg_catalog.pg_depend d
                        where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = c.oid
                          and d.refclassid = 'pg_catalog.pg_class'::regclass and d.refobjsubid > 0 and d.deptype in ('a', 'i')
                        limit 1) od on true
     left join pg_catalog.pg_class oc on oc.oid = od.refobjid
     left join pg_catalog.pg_attribute oa on oa.attrelid = od.refobjid and oa.attnum = od.refobjsubid
     left join pg_catalog.pg_description dsc on dsc.classoid = 'pg_catalog.pg_class'::regclass and dsc.objoid = c.oid and dsc.objsubid = 0
     where ${filter.sql}
       and ${notExtensionMember('pg_catalog.pg_class', 'c.oid')}`,
    filter.bindings,
  );
  const result: SequenceRows = { sequences: [], identity: [] };
  for (const { ownerTable, ownerColumn, identity, ...sequence } of rows) {
    const ownedBy = ownerTable && ownerColumn ? { table: ownerTable, column: ownerColumn } : null;
    if (identity && ownedBy) result.identity.push({ ...sequence, ownedBy });
    else if (!identity) result.sequences.push({ ...sequence, ownedBy });
  }
  return result;
}
