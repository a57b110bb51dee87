/**
 * Backups and restores as recorded operations: each one appended to the history. A restore
 * replaces Stepstone's own tables with the backup's, so the audit log's later entries are
 * carried over first: the log stays append-only across restores.
 */
import type { Knex } from 'knex';
import type { Backup } from '../../shared/backup';
import type { ConnectionTarget } from '../connection/connection-target';
import { retargetDatabase } from '../connection/connection-target';
import { withDatabase } from '../database/open-database';
import { type EngineContext, createEngineContext } from '../engine-context';
import { type ErrorCode, isStepstoneError, messageOf, toErrorInfo } from '../errors';
import { recordHistory, type NewHistoryEntry } from '../history/history-log';
import { type LedgerNames, ensureLedgerTables, qualified, existingTables } from '../ledger/ledger-tables';
import { takeBackup, type TakeBackupOptions } from './take-backup';
import { restoreBackup, type RestoreBackupOptions, type RestoreResult } from './restore-backup';
import { listBackups } from './list-backups';

type HistoryRow = Record<string, unknown>;

async function record(target: ConnectionTarget, context: EngineContext, entry: Omit<NewHistoryEntry, 'plan' | 'steps'>): Promise<void> {
  await withDatabase(
    target,
    'history',
    async (db) => {
      await ensureLedgerTables(db.knex, db.names);
      await recordHistory(db.knex, db.names, context.identity, { ...entry, plan: null, steps: [] });
    },
    context,
  ).catch((error) => {
    // The operation's own outcome matters more than its log line: say so, do not fail it.
    context.log('warn', `The ${entry.operation} was not recorded in the history: ${messageOf(error)}`);
  });
}

/** A manual backup, recorded in the history. */
export async function backupNow(
  target: ConnectionTarget,
  options: Omit<TakeBackupOptions, 'operation'> & { operation?: string },
): Promise<Backup> {
  const context = options.context ?? createEngineContext();
  const startedAt = context.now();
  const t0 = performance.now();
  try {
    const backup = await takeBackup(target, { ...options, context, operation: options.operation ?? 'manual', profileId: options.profileId ?? target.profile.id });
    await record(target, context, { operation: 'backup', outcome: 'succeeded', startedAt, durationMs: performance.now() - t0, headBefore: backup.head, headAfter: backup.head, error: null, details: { backupId: backup.id, method: backup.method, file: backup.file, sizeBytes: backup.sizeBytes } });
    return backup;
  } catch (error) {
    await record(target, context, { operation: 'backup', outcome: 'failed', startedAt, durationMs: performance.now() - t0, headBefore: null, headAfter: null, error: toErrorInfo(error), details: null });
    throw error;
  }
}

/** Entries the backup does not hold: those after it, and the run it was taken for (which started just before it). */
async function historyAfter(db: Knex, names: LedgerNames, backup: Backup): Promise<HistoryRow[]> {
  if (!(await existingTables(db, names, [names.history])).has(names.history)) return [];
  const sql = `select * from ${qualified(names, names.history)} where started_at >= ? or details->>'backupId' = ? order by id`;
  return (await db.raw(sql, [backup.createdAt, backup.id])).rows;
}

async function reinsert(db: Knex, names: LedgerNames, rows: HistoryRow[]): Promise<void> {
  for (const r of rows) {
    await db.raw(
      `insert into ${qualified(names, names.history)} (operation, outcome, os_user, host, started_at, duration_ms, head_before, head_after, plan, steps, error, details)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?::jsonb)`,
      [r.operation, r.outcome, r.os_user, r.host, r.started_at, r.duration_ms, r.head_before, r.head_after, j(r.plan), j(r.steps) ?? '[]', j(r.error), j(r.details)] as Knex.RawBinding[],
    );
  }
}

const j = (v: unknown) => (v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v));

const REFUSED_BEFORE_STARTING: ReadonlySet<ErrorCode> = new Set(['BACKUP_NOT_FOUND', 'INVALID_INPUT', 'DATABASE_NOT_EMPTY']);

/** Restore a backup (into the target's database, or a new one) and record it in the restored database's history. */
export async function restoreWithHistory(
  target: ConnectionTarget,
  backupId: string,
  options: RestoreBackupOptions,
): Promise<RestoreResult & { durationMs: number }> {
  const context = options.context ?? createEngineContext();
  const startedAt = context.now();
  const t0 = performance.now();
  const backup = (await listBackups({ dataDir: options.dataDir, backupsDir: options.backupsDir })).find((b) => b.id === backupId);
  const inPlace = options.intoDatabase === undefined;
  const carried = inPlace && backup
    ? await withDatabase(target, 'restore', (db) => historyAfter(db.knex, db.names, backup), context).catch(() => [] as HistoryRow[])
    : [];
  let result: RestoreResult;
  try {
    result = await restoreBackup(target, backupId, { ...options, context });
  } catch (error) {
    // A failed restore leaves the target as it was: record the failure there. A refusal before
    // anything started (no such backup, a bad id or name, a database that is not empty) is not an operation.
    if (!isStepstoneError(error) || !REFUSED_BEFORE_STARTING.has(error.code)) {
      await record(target, context, { operation: 'restore', outcome: 'failed', startedAt, durationMs: performance.now() - t0, headBefore: null, headAfter: null, error: toErrorInfo(error), details: { backupId, intoDatabase: options.intoDatabase ?? null } });
    }
    throw error;
  }
  const durationMs = performance.now() - t0;
  const restoredTarget = inPlace ? target : retargetDatabase(target, result.database);
  await withDatabase(restoredTarget, 'restore', async (db) => {
    await ensureLedgerTables(db.knex, db.names);
    await reinsert(db.knex, db.names, carried);
    await recordHistory(db.knex, db.names, context.identity, {
      operation: 'restore',
      outcome: 'succeeded',
      startedAt,
      durationMs,
      headBefore: null,
      headAfter: result.head,
      plan: null,
      steps: [],
      error: null,
      details: { backupId, method: result.backup.method, database: result.database, backupCreatedAt: result.backup.createdAt, intoDatabase: options.intoDatabase ?? null },
    });
  }, context).catch((error) => {
    const message = `Restored, but the history entry could not be written: ${messageOf(error)}`;
    if (options.onLog) options.onLog(message);
    else context.log('warn', message);
  });
  return { ...result, durationMs };
}
