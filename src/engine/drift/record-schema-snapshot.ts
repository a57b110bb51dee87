/**
 * The schema as Stepstone left it after an operation, kept in `stepstone_schema_snapshots` so a
 * later look can tell what changed outside migrations (drift).
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { SchemaSnapshot } from '../../shared/schema';
import type { Db } from '../database/open-database';
import { ensureLedgerTables, qualified, existingTables, ledgerTableExclusions } from '../ledger/ledger-tables';
import { introspectSchema } from '../schema';
import type { Queryable } from '../schema/catalog-session';

/** How many snapshots are kept; only the newest is compared, the rest help when looking back. */
const KEEP_SNAPSHOTS = 20;

export interface RecordedSnapshot {
  id: number;
  recordedAt: string;
  head: string | null;
  historyId: number | null;
  snapshot: SchemaSnapshot;
}

/** The user's schema as drift sees it: Knex's and Stepstone's own tables left out; `on` may be a run's own transaction. */
export function introspectUserSchema(db: Db, on: Queryable = db.knex): Promise<SchemaSnapshot> {
  return introspectSchema(on, { excludeTables: ledgerTableExclusions(db.names) });
}

/** Stores the live schema (or one introspected already, e.g. while the history was written) as the reference for drift detection. */
export async function recordSchemaSnapshot(
  db: Db,
  /** `tablesReady`: the caller made Stepstone's tables already (a run, under its lock). */
  options: { historyId: number | null; head: string | null; tablesReady?: boolean },
  introspected?: Promise<SchemaSnapshot>,
): Promise<RecordedSnapshot> {
  const snapshot = await (introspected ?? introspectUserSchema(db));
  if (!options.tablesReady) await ensureLedgerTables(db.knex, db.names);
  const table = qualified(db.names, db.names.snapshots);
  const res = await db.knex.raw(`insert into ${table} (head, history_id, snapshot_gz) values (?, ?, ?) returning id, recorded_at`, [
    options.head,
    options.historyId,
    gzipSync(JSON.stringify(snapshot), { level: 1 }),
  ]);
  const row = res.rows[0] as { id: string | number; recorded_at: Date | string };
  await db.knex.raw(`delete from ${table} where id not in (select id from ${table} order by id desc limit ${KEEP_SNAPSHOTS})`);
  return { id: Number(row.id), recordedAt: new Date(row.recorded_at).toISOString(), head: options.head, historyId: options.historyId, snapshot };
}

/** The newest recorded snapshot, or null when none was recorded (or it cannot be read any more). */
export async function latestSchemaSnapshot(db: Db): Promise<RecordedSnapshot | null> {
  const present = await existingTables(db.knex, db.names, [db.names.snapshots]);
  if (!present.has(db.names.snapshots)) return null;
  const res = await db.knex.raw(`select id, recorded_at, head, history_id, snapshot_gz from ${qualified(db.names, db.names.snapshots)} order by id desc limit 1`);
  const row = res.rows[0] as { id: string | number; recorded_at: Date | string; head: string | null; history_id: string | number | null; snapshot_gz: Uint8Array } | undefined;
  if (!row) return null;
  let json: unknown;
  try {
    json = JSON.parse(gunzipSync(row.snapshot_gz).toString('utf8'));
  } catch {
    return null; // unreadable: treated as no reference, like a schema that no longer parses
  }
  const { SchemaSnapshot } = await import('../../shared/schema'); // zod, only when a snapshot is read
  const parsed = SchemaSnapshot.safeParse(json);
  if (!parsed.success) return null;
  return {
    id: Number(row.id),
    recordedAt: new Date(row.recorded_at).toISOString(),
    head: row.head,
    historyId: row.history_id === null ? null : Number(row.history_id),
    snapshot: parsed.data,
  };
}
