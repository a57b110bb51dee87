/**
 * Read-only status: the ledger read with plain SQL inside a READ ONLY transaction, compared
 * with the files on disk. Never creates or changes anything.
 */
import type { AppliedMigration, PendingMigration } from '../../shared/migration';
import type { MigrationStatus } from '../../shared/status';
import type { ReadSession } from '../database/read-session';
import { classifyConnectionError } from '../connection/classify-connection-error';
import { databaseNameOf } from '../connection/connection-target';
import { isStepstoneError } from '../errors';
import { type LedgerContents, readLedger } from '../ledger/read-ledger';
import { compareMigrationNames, headOf, listMigrationFiles, type MigrationEntry } from '../migrations/list-migration-files';
import { checksumOfFileSync } from '../migrations/migration-checksum';
import { findLockHolders, lockStateOf } from '../lock/lock-state';
import { findInterrupted } from '../nontransactional/find-interrupted';
import { findInterruptedOperations } from '../history/history-log';

async function readInReadOnlyTransaction(db: ReadSession): Promise<{ ledger: LedgerContents; serverVersion: string }> {
  try {
    return await db.readOnly(async (sql) => {
      const [version] = await sql.query<{ server_version: string }>('show server_version');
      const ledger = await readLedger(sql, db.names);
      return { ledger, serverVersion: String(version.server_version) };
    });
  } catch (error) {
    if (isStepstoneError(error)) throw error;
    throw classifyConnectionError(error, db.target);
  }
}

/** The full status of the profile's database. */
export async function getStatus(db: ReadSession): Promise<MigrationStatus> {
  return (await readStatus(db)).status;
}

/** The status and the file listing it was computed from (a plan needs both; the folder is read once). */
export async function readStatus(db: ReadSession): Promise<{ status: MigrationStatus; files: MigrationEntry[] }> {
  const [files, { ledger, serverVersion }] = await Promise.all([listMigrationFiles(db.settings), readInReadOnlyTransaction(db)]);
  const holders = db.embedded ? [] : await findLockHolders(db.sql, db.names).catch(() => []);
  const status = await buildStatus(files, ledger, {
    serverVersion,
    database: databaseNameOf(db.target),
    lock: lockStateOf(ledger.lockRow, holders),
  });
  // Non-transactional migrations a dead run left half-done, with what they left and the repairs.
  const interrupted = db.embedded ? [] : await findInterrupted(db.sql, db.names, new Set(ledger.rows.map((r) => r.name)));
  status.interrupted = interrupted.map(({ batch: _batch, checksum: _checksum, ...shown }) => shown);
  // Operations cut off mid-way (their history row started, never completed, held by no live session).
  status.interruptedOperations = db.embedded ? [] : await findInterruptedOperations(db.sql, db.names);
  return { status, files };
}

/** Compare files with the ledger. Exported for the tests and the plan, which need the same view. */
export async function buildStatus(
  files: MigrationEntry[],
  ledger: LedgerContents,
  extra: Pick<MigrationStatus, 'serverVersion' | 'database' | 'lock'>,
): Promise<MigrationStatus> {
  const byName = new Map(files.map((f) => [f.name, f]));
  const appliedNames = new Set(ledger.rows.map((r) => r.name));
  // Only applied files with a recorded checksum need reading: status stays cheap on big folders.
  const currentChecksums = new Map<string, string>();
  for (const row of ledger.rows) {
    const file = byName.get(row.name);
    if (file && ledger.records.has(row.name)) currentChecksums.set(row.name, checksumOfFileSync(file.path));
  }
  const applied: AppliedMigration[] = ledger.rows.map((row) => {
    const record = ledger.records.get(row.name) ?? null;
    const missing = !byName.has(row.name);
    const current = currentChecksums.get(row.name);
    return {
      id: row.id,
      name: row.name,
      batch: row.batch,
      appliedAt: row.migrationTime,
      recordedChecksum: record?.checksum ?? null,
      durationMs: record?.durationMs ?? null,
      appliedBy: record?.appliedBy ?? null,
      missing,
      edited: !missing && record !== null && current !== undefined && current !== record.checksum,
      stamped: record?.stamped ?? false,
    };
  });
  const newestApplied = headOf(ledger.rows.map((r) => r.name));
  const pending: PendingMigration[] = files
    .filter((f) => !appliedNames.has(f.name))
    .map((f) => ({ name: f.name, path: f.path, outOfOrder: newestApplied !== null && compareMigrationNames(f.name, newestApplied) < 0 }));
  return {
    applied,
    pending,
    missing: applied.filter((a) => a.missing).map((a) => a.name),
    edited: applied.filter((a) => a.edited).map((a) => a.name),
    outOfOrder: pending.filter((p) => p.outOfOrder).map((p) => p.name),
    unchecked: applied.filter((a) => a.recordedChecksum === null).map((a) => a.name),
    head: newestApplied,
    lastBatch: ledger.rows.reduce((max, r) => Math.max(max, r.batch), 0),
    ledgerExists: ledger.exists,
    ...extra,
  };
}
