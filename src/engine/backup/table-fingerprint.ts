/**
 * A table's fingerprint: its row count and the sha256 of its COPY text (non-generated columns,
 * physical order, the session settings of copy-session.ts). Taken while backing up, and again on
 * a restored copy by verify: equal fingerprints mean equal contents.
 */
import { createHash, type Hash } from 'node:crypto';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { TableFingerprint } from '../../shared/backup';
import { qualify, quoteIdent } from '../schema/sql-quoting';

/** A table as COPY sees it. */
export interface CopyTable {
  schema: string;
  name: string;
  /** Non-generated columns in physical order. */
  columns: string[];
}

/** "schema.name", the catalogue's table label. */
export function tableLabel(t: { schema: string; name: string }): string {
  return `${t.schema}.${t.name}`;
}

/** `COPY (SELECT …) TO STDOUT` for a table: ONLY, so inheritance children are not read twice. */
export function copyOutSql(t: CopyTable): string {
  const columns = t.columns.length ? t.columns.map(quoteIdent).join(', ') : '';
  return `copy (select ${columns} from only ${qualify(t.schema, t.name)}) to stdout`;
}

/** A pass-through stream that hashes what flows through it. */
export function hashTap(hash: Hash = createHash('sha256')): Transform & { hash: Hash } {
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  return Object.assign(tap, { hash });
}

/** User tables (not extensions' own) with their non-generated columns, from the catalog. */
export async function listCopyTables(client: pg.Client): Promise<CopyTable[]> {
  const { rows } = await client.query<{ schema: string; name: string; columns: string[] | null }>(
    `select n.nspname as schema, c.relname as name,
       array(select a.attname::text from pg_catalog.pg_attribute a
             where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
             order by a.attnum) as columns
     from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
     where c.relkind in ('r', 'p')
       and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'
       and not exists (select 1 from pg_catalog.pg_depend d where d.classid = 'pg_catalog.pg_class'::regclass
                       and d.objid = c.oid and d.deptype = 'e')
     order by 1, 2`,
  );
  return rows.map((r) => ({ schema: r.schema, name: r.name, columns: r.columns ?? [] }));
}

/** Reads a table through COPY and returns its row count and content hash. */
export async function fingerprintTable(client: pg.Client, t: CopyTable): Promise<TableFingerprint> {
  const copy = client.query(copyTo(copyOutSql(t)));
  const tap = hashTap();
  await pipeline(copy, tap, new Writable({ write: (_chunk, _encoding, done) => done() }));
  return { table: tableLabel(t), rows: copy.rowCount, hash: tap.hash.digest('hex') };
}

/** Fingerprints of every user table, in name order. */
export async function fingerprintDatabase(client: pg.Client): Promise<TableFingerprint[]> {
  const result: TableFingerprint[] = [];
  for (const t of await listCopyTables(client)) result.push(await fingerprintTable(client, t));
  return result;
}
