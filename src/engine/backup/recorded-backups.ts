/**
 * Backups and restores as recorded operations: each one's history row is written when it starts
 * and completed at its end (held-operation.ts). A restore replaces Stepstone's own tables with the
 * backup's, so the audit log's later entries are carried over first: the log stays append-only
 * across restores.
 */
import type { Knex } from 'knex';
import type { Backup } from '../../shared/backup';
import type { ConnectionTarget } from '../connection/connection-target';
import { retargetDatabase } from '../connection/connection-target';
import { withDatabase } from '../database/open-database';
import { createEngineContext } from '../engine-context';
import { type ErrorCode, isStepstoneError, messageOf, toErrorInfo } from '../errors';
import { recordHistory } from '../history/history-log';
import { startHeldOperation } from '../history/held-operation';
import { retryOnConnectionLoss } from '../connection/connection-loss';
import { type LedgerNames, ensureLedgerTables, qualified, existingTables, historyTableSql } from '../ledger/ledger-tables';
import { quoteLiteral } from '../schema/sql-quoting';
import { takeBackup, type TakeBackupOptions } from './take-backup';
import { restoreBackup, type RestoreBackupOptions, type RestoreResult } from './restore-backup';
import { listBackups } from './list-backups';

type HistoryRow = Record<string, unknown>;

/** A manual backup, recorded in the history: a row when it starts (so a killed backup leaves a trace), completed at its end. */
export async function backupNow(
  target: ConnectionTarget,
  options: Omit<TakeBackupOptions, 'operation'> & { operation?: string },
): Promise<Backup> {
  const context = options.context ?? createEngineContext();
  const startedAt = context.now();
  const t0 = performance.now();
  const warn = (message: string) => context.log('warn', message);
  const held = await startHeldOperation(target, context, 'backup', startedAt, {}, warn);
  try {
    const backup = await takeBackup(target, { ...options, context, operation: options.operation ?? 'manual', profileId: options.profileId ?? target.profile.id });
    await held.finish({ outcome: 'succeeded', durationMs: performance.now() - t0, headBefore: backup.head, headAfter: backup.head, error: null, details: { backupId: backup.id, method: backup.method, file: backup.file, sizeBytes: backup.sizeBytes } });
    return backup;
  } catch (error) {
    await held.finish({ outcome: 'failed', durationMs: performance.now() - t0, headBefore: null, headAfter: null, error: toErrorInfo(error), details: null });
    throw error;
  }
}

/**
 * Entries the backup does not hold as they ended: those after it (the restore's own started row
 * among them), and the run it was taken for (which started just before it: the backup holds it as running).
 */
async function historyAfter(db: Knex, names: LedgerNames, backup: Backup): Promise<HistoryRow[]> {
  if (!(await existingTables(db, names, [names.history])).has(names.history)) return [];
  const sql = `select * from ${qualified(names, names.history)} where started_at >= ? or details->>'backupId' = ? order by id`;
  return (await db.raw(sql, [backup.createdAt, backup.id])).rows;
}

/**
 * The same carried over as SQL run inside a restore in place, before it commits: the restored
 * tables and the log's later entries (this restore's started row too) commit together, so a
 * restore cut off after its commit still reads in the history (as interrupted, until completed).
 */
function carryOverSql(names: LedgerNames, rows: HistoryRow[]): string {
  const table = qualified(names, names.history);
  const text = (v: unknown) => (v === null || v === undefined ? 'null' : quoteLiteral(String(v)));
  const jsonb = (v: unknown) => (j(v) === null ? 'null' : `${quoteLiteral(j(v)!)}::jsonb`);
  const statements = ['reset search_path', historyTableSql(names)];
  for (const r of rows) {
    const token = tokenOf(r);
    if (token) statements.push(`delete from ${table} where details->>'token' = ${quoteLiteral(token)}`);
    const startedAt = r.started_at instanceof Date ? r.started_at.toISOString() : String(r.started_at);
    statements.push(
      `insert into ${table} (operation, outcome, os_user, host, started_at, duration_ms, head_before, head_after, plan, steps, error, details)
       values (${[text(r.operation), text(r.outcome), text(r.os_user), text(r.host), `${quoteLiteral(startedAt)}::timestamptz`, String(Math.round(Number(r.duration_ms)) || 0), text(r.head_before), text(r.head_after), jsonb(r.plan), jsonb(r.steps ?? []), jsonb(r.error), jsonb(r.details)].join(', ')})`,
    );
  }
  return statements.join(';\n');
}

function tokenOf(row: HistoryRow): string | null {
  const token = (json(row.details) as { token?: unknown } | null)?.token;
  return typeof token === 'string' ? token : null;
}

/**
 * Into a new database: a row the backup holds as it was then (still running: the backup itself,
 * the run it was taken for) is replaced by how it ended in the source's history.
 */
async function carryOver(db: Knex, names: LedgerNames, rows: HistoryRow[]): Promise<void> {
  for (const r of rows) {
    const token = tokenOf(r);
    const replaced = token !== null && (await db.raw(`delete from ${qualified(names, names.history)} where details->>'token' = ? returning id`, [token])).rows.length > 0;
    if (!replaced) continue;
    await db.raw(
      `insert into ${qualified(names, names.history)} (operation, outcome, os_user, host, started_at, duration_ms, head_before, head_after, plan, steps, error, details)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?::jsonb)`,
      [r.operation, r.outcome, r.os_user, r.host, r.started_at, r.duration_ms, r.head_before, r.head_after, j(r.plan), j(r.steps) ?? '[]', j(r.error), j(r.details)] as Knex.RawBinding[],
    );
  }
}

const json = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);
const j = (v: unknown) => (v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v));

const REFUSED_BEFORE_STARTING: ReadonlySet<ErrorCode> = new Set(['BACKUP_NOT_FOUND', 'INVALID_INPUT', 'DATABASE_NOT_EMPTY']);

/**
 * Restore a backup (into the target's database, or a new one) as a recorded operation: a row in the
 * target's history when it starts, completed at the end; the restored database's history keeps the
 * entries that came after the backup (in place) and gets the restore's own entry.
 */
export async function restoreWithHistory(
  target: ConnectionTarget,
  backupId: string,
  options: RestoreBackupOptions,
): Promise<RestoreResult & { durationMs: number }> {
  const context = options.context ?? createEngineContext();
  const startedAt = context.now();
  const t0 = performance.now();
  const warn = (message: string) => (options.onLog ? options.onLog(message) : context.log('warn', message));
  const inPlace = options.intoDatabase === undefined;
  const held = await startHeldOperation(target, context, 'restore', startedAt, { backupId, intoDatabase: options.intoDatabase ?? null }, warn);
  const backup = (await listBackups({ dataDir: options.dataDir, backupsDir: options.backupsDir })).find((b) => b.id === backupId);
  const { carried, inPlaceBeforeCommit } = backup
    ? await withDatabase(target, 'restore', async (db) => {
      const rows = await historyAfter(db.knex, db.names, backup);
      return { carried: rows, inPlaceBeforeCommit: inPlace ? carryOverSql(db.names, rows) : undefined };
    }, context).catch(() => ({ carried: [] as HistoryRow[], inPlaceBeforeCommit: undefined }))
    : { carried: [] as HistoryRow[], inPlaceBeforeCommit: undefined };
  let result: RestoreResult;
  try {
    result = await restoreBackup(target, backupId, { ...options, context, inPlaceBeforeCommit });
  } catch (error) {
    // A failed restore leaves the target as it was: record the failure there. A refusal before
    // anything started (no such backup, a bad id or name, a database that is not empty) is not an operation.
    if (isStepstoneError(error) && REFUSED_BEFORE_STARTING.has(error.code)) await held.abandon();
    else await held.finish({ outcome: 'failed', durationMs: performance.now() - t0, headBefore: null, headAfter: null, error: toErrorInfo(error), details: { backupId, intoDatabase: options.intoDatabase ?? null } });
    throw error;
  }
  const durationMs = performance.now() - t0;
  const succeeded = {
    outcome: 'succeeded' as const,
    durationMs,
    headBefore: null,
    headAfter: result.head,
    error: null,
    details: { backupId, method: result.backup.method, database: result.database, backupCreatedAt: result.backup.createdAt, intoDatabase: options.intoDatabase ?? null },
  };
  if (inPlace) {
    // The entries after the backup and the started row came back with the restore's own commit.
    await held.finish(succeeded);
  } else {
    await held.finish(succeeded);
    // The new database's own log: the backup's, with the runs it holds as running shown as they ended, and this restore.
    await retryOnConnectionLoss(() =>
      withDatabase(retargetDatabase(target, result.database), 'restore', async (db) => {
        await ensureLedgerTables(db.knex, db.names);
        await carryOver(db.knex, db.names, carried);
        await recordHistory(db.knex, db.names, context.identity, { ...succeeded, operation: 'restore', startedAt, plan: null, steps: [] });
      }, context),
    ).catch((error) => warn(`Restored, but the history entry could not be written: ${messageOf(error)}`));
  }
  return { ...result, durationMs };
}
