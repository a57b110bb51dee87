/**
 * Reads Knex's ledger and Stepstone's records with plain SQL. Never creates anything:
 * a database Stepstone has never touched simply has no rows.
 */
import { type SqlSource, readerOf } from '../database/sql-reader';
import { type LedgerNames, existingTables, qualified } from './ledger-tables';

export interface LedgerRow {
  id: number;
  name: string;
  batch: number;
  migrationTime: string;
}

export interface AppliedRecord {
  checksum: string;
  durationMs: number | null;
  appliedBy: string | null;
  /** Recorded as applied by `baseline` or `stamp`, without running it. */
  stamped: boolean;
}

export interface LedgerContents {
  exists: boolean;
  rows: LedgerRow[];
  records: Map<string, AppliedRecord>;
  /** Knex's lock row says locked. */
  lockRow: boolean;
}

function iso(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  return value == null ? '' : new Date(String(value)).toISOString();
}

/** The ledger rows in application order, Stepstone's records and the lock row. */
export async function readLedger(source: SqlSource, names: LedgerNames): Promise<LedgerContents> {
  const db = readerOf(source);
  const present = await existingTables(db, names, [names.migrations, names.lock, names.applied]);
  if (!present.has(names.migrations)) return { exists: false, rows: [], records: new Map(), lockRow: false };
  const rows = await db.query<{ id: number; name: string; batch: number; migration_time: unknown }>(
    `select id, name, batch, migration_time from ${qualified(names, names.migrations)} order by id`,
  );
  const records = new Map<string, AppliedRecord>();
  if (present.has(names.applied)) {
    // `stamped` through to_jsonb: tables created before the column existed simply lack it.
    const rec = await db.query<{ name: string; checksum: string; duration_ms: number | null; applied_by: string | null; stamped: boolean | null }>(
      `select name, checksum, duration_ms, applied_by, (to_jsonb(a) ->> 'stamped')::boolean as stamped from ${qualified(names, names.applied)} a`,
    );
    for (const r of rec) {
      records.set(r.name, { checksum: String(r.checksum).trim(), durationMs: r.duration_ms, appliedBy: r.applied_by, stamped: r.stamped === true });
    }
  }
  let lockRow = false;
  if (present.has(names.lock)) {
    const lock = await db.query<{ locked: unknown }>(`select max(is_locked) as locked from ${qualified(names, names.lock)}`);
    lockRow = Number(lock[0]?.locked ?? 0) === 1;
  }
  return {
    exists: true,
    rows: rows.map((r) => ({
      id: Number(r.id),
      name: r.name,
      batch: Number(r.batch),
      migrationTime: iso(r.migration_time),
    })),
    records,
    lockRow,
  };
}
