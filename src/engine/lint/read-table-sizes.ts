/**
 * Sizes of the tables a plan touches, read once from the live database (also when the dry run
 * ran on a scratch copy, which has no rows): estimated rows from pg_class.reltuples and
 * pg_total_relation_size, summed over partitions. A table never analyzed (reltuples = -1) is
 * counted when its heap is small, and otherwise gets the planner's own estimate from its pages
 * (no scan, no ANALYZE, which would write statistics).
 */
import type { Knex } from 'knex';
import { quoteIdent as escapeIdentifier } from '../schema/sql-quoting';
import type { TableSize } from '../../shared/lint';
import type { TableRef } from './read-statement';

/** How a table is looked up: `"schema"."name"` or, without a schema, `"name"` through the search_path. */
export function refText(ref: TableRef): string {
  return ref.schema ? `${escapeIdentifier(ref.schema)}.${escapeIdentifier(ref.name)}` : escapeIdentifier(ref.name);
}

const SIZES_SQL = `
select u.n::int as n, ns.nspname as schema, c.relname as name,
       coalesce(t.tuples, 0)::float8 as tuples, coalesce(t.unknown, false) as unknown,
       coalesce(t.bytes, 0)::int8 as bytes, coalesce(t.heap, 0)::int8 as heap
  from unnest(?::text[]) with ordinality as u(ref, n)
  join pg_catalog.pg_class c on c.oid = pg_catalog.to_regclass(u.ref)
  join pg_catalog.pg_namespace ns on ns.oid = c.relnamespace
  left join lateral (
    select sum(greatest(pc.reltuples, 0)) as tuples, bool_or(pc.reltuples < 0) as unknown, sum(pg_catalog.pg_total_relation_size(pt.relid)) as bytes,
           sum(pg_catalog.pg_relation_size(pt.relid)) as heap
      from (select relid from pg_catalog.pg_partition_tree(c.oid) where isleaf union select c.oid where c.relkind <> 'p') pt
      join pg_catalog.pg_class pc on pc.oid = pt.relid
  ) t on true
 where c.relkind in ('r', 'p', 'm')`;

interface SizeRow {
  n: number;
  schema: string;
  name: string;
  tuples: number;
  unknown: boolean;
  bytes: string;
  heap: string;
}

/**
 * Sizes keyed by `refText` of each ref that exists in `knex`'s database (tables that do not exist
 * yet are absent). Runs in a read-only transaction with a short lock_timeout: a table locked by
 * another session makes it fail with 55P03 (the caller says "busy, try later").
 */
export async function readTableSizes(knex: Knex, refs: TableRef[]): Promise<Map<string, TableSize>> {
  const texts = [...new Set(refs.map(refText))];
  const sizes = new Map<string, TableSize>();
  if (texts.length === 0) return sizes;
  await knex.transaction(
    async (trx) => {
      await trx.raw(`set local lock_timeout = '2s'`);
      const { rows } = await trx.raw(SIZES_SQL, [texts]);
      for (const row of rows as SizeRow[]) {
        let rows = Math.round(Number(row.tuples));
        let rowsSource: TableSize['rowsSource'] = 'statistics';
        // Never analyzed: an empty heap has no rows; a small one is counted; a large one gets the planner's estimate.
        if (row.unknown && Number(row.heap) === 0) rows = 0;
        else if (row.unknown && Number(row.heap) <= COUNT_UP_TO_BYTES) {
          rows = await countRows(trx, row.schema, row.name);
          rowsSource = 'counted';
        } else if (row.unknown) {
          rows = await plannerEstimate(trx, row.schema, row.name);
          rowsSource = 'planner';
        }
        sizes.set(texts[row.n - 1], { schema: row.schema, name: row.name, rows, bytes: Number(row.bytes), rowsSource });
      }
    },
    { readOnly: true },
  );
  return sizes;
}

/** Never-analyzed tables up to this heap size are counted (a sequential scan of at most a few hundred ms). */
const COUNT_UP_TO_BYTES = 128 * 1024 * 1024;

async function countRows(trx: Knex.Transaction, schema: string, name: string): Promise<number> {
  const { rows } = await trx.raw(`select count(*)::int8 as n from ${escapeIdentifier(schema)}.${escapeIdentifier(name)}`);
  return Number(rows[0].n);
}

/** The planner's row estimate for a table without statistics: its current pages times the tuples a page holds. */
async function plannerEstimate(trx: Knex.Transaction, schema: string, name: string): Promise<number> {
  const { rows } = await trx.raw(`explain (format json) select from ${escapeIdentifier(schema)}.${escapeIdentifier(name)}`);
  const plan = rows[0]['QUERY PLAN'];
  const parsed = typeof plan === 'string' ? JSON.parse(plan) : plan;
  return Math.round(Number(parsed?.[0]?.Plan?.['Plan Rows'] ?? 0));
}
