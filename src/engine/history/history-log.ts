/**
 * Stepstone's append-only audit log: one row per operation, written outside the operation's transaction.
 * A run's row is written when it starts (outcome `running`, autocommitted) and completed at its end,
 * so a run killed in between leaves a row that no live session holds: it reads as `interrupted`
 * (row-holder.ts says when). Each started row carries a token naming it across a restore.
 */
import type { Knex } from 'knex';
import type { ErrorInfo } from '../../shared/error-info';
import type { HistoryEntry, InterruptedOperation, Operation } from '../../shared/history';
import type { Plan } from '../../shared/plan';
import type { FinishedOutcome, RunOutcome, StepResult } from '../../shared/run';
import type { Db } from '../database/open-database';
import type { Identity } from '../engine-context';
import { type LedgerNames, qualified, existingTables, regclassName } from '../ledger/ledger-tables';
import { confirmationFor } from '../profiles/confirmation';
import { type SqlSource, readerOf } from '../database/sql-reader';
import { randomUUID } from 'node:crypto';
import { LIVE_OUTCOME_SQL, type RowHolder } from './row-holder';

export interface NewHistoryEntry {
  operation: Operation;
  outcome: FinishedOutcome;
  startedAt: Date;
  durationMs: number;
  headBefore: string | null;
  headAfter: string | null;
  plan: Plan | null;
  steps: StepResult[];
  error: ErrorInfo | null;
  details?: Record<string, unknown> | null;
}

/** Append one entry as `identity`; returns its id. The tables must exist (ensureLedgerTables). */
export async function recordHistory(db: Knex, names: LedgerNames, identity: Identity, entry: NewHistoryEntry): Promise<number> {
  const res = await db.raw(
    `insert into ${qualified(names, names.history)}
       (operation, outcome, os_user, host, started_at, duration_ms, head_before, head_after, plan, steps, error, details)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?::jsonb) returning id`,
    [
      entry.operation,
      entry.outcome,
      identity.osUser,
      identity.host,
      entry.startedAt.toISOString(),
      Math.round(entry.durationMs),
      entry.headBefore,
      entry.headAfter,
      entry.plan ? JSON.stringify(entry.plan) : null,
      JSON.stringify(entry.steps),
      entry.error ? JSON.stringify(entry.error) : null,
      entry.details ? JSON.stringify(entry.details) : null,
    ],
  );
  return Number(res.rows[0].id);
}

export interface StartedHistoryEntry {
  operation: Operation;
  startedAt: Date;
  headBefore: string | null;
  plan: Plan | null;
  /** The session that holds this row while the operation runs (null: an embedded database, this process). */
  holder: RowHolder | null;
  /** Names the operation's row wherever it goes (a restore carries it into the restored history). */
  token: string;
  details?: Record<string, unknown> | null;
}

/** A new token naming one operation's row. */
export function newHistoryToken(): string {
  return randomUUID();
}

/** The row of an operation that starts now, outcome `running`; autocommitted so a killed run leaves it. Returns its id. */
export async function startHistory(db: Knex, names: LedgerNames, identity: Identity, entry: StartedHistoryEntry): Promise<number> {
  const res = await db.raw(
    `insert into ${qualified(names, names.history)}
       (operation, outcome, os_user, host, started_at, duration_ms, head_before, plan, steps, details)
     values (?, 'running', ?, ?, ?, 0, ?, ?::jsonb, '[]'::jsonb, ?::jsonb) returning id`,
    [
      entry.operation,
      identity.osUser,
      identity.host,
      entry.startedAt.toISOString(),
      entry.headBefore,
      entry.plan ? JSON.stringify(entry.plan) : null,
      JSON.stringify({ ...entry.details, token: entry.token, ...(entry.holder ? { holder: entry.holder } : {}) }),
    ],
  );
  return Number(res.rows[0].id);
}

/** The operation's lock moved to another session (its first one was lost): the row names the new holder. */
export async function moveHistoryHolder(db: SqlSource, names: LedgerNames, token: string, holder: RowHolder): Promise<void> {
  await readerOf(db).query(
    `update ${qualified(names, names.history)} set details = details || jsonb_build_object('holder', ?::jsonb) where details->>'token' = ? and outcome = 'running'`,
    [JSON.stringify(holder), token],
  );
}

/** The migration a running run is on (read back as where an interrupted run stopped). */
export async function noteHistoryMigration(db: SqlSource, names: LedgerNames, id: number, migration: string): Promise<void> {
  await readerOf(db).query(
    `update ${qualified(names, names.history)} set details = coalesce(details, '{}'::jsonb) || jsonb_build_object('migration', ?::text) where id = ? and outcome = 'running'`,
    [migration, id],
  );
}

/**
 * Complete the row named `token` with the operation's outcome; when it is not there (a restore
 * replaced the table that held it) it is appended, finished. Returns its id.
 */
export async function completeHistory(db: Knex, names: LedgerNames, identity: Identity, token: string, entry: NewHistoryEntry): Promise<number> {
  const res = await db.raw(
    `update ${qualified(names, names.history)}
        set outcome = ?, duration_ms = ?, head_before = ?, head_after = ?, steps = ?::jsonb, error = ?::jsonb,
            details = (coalesce(details, '{}'::jsonb) - 'holder' - 'migration') || coalesce(?::jsonb, '{}'::jsonb)
      where details->>'token' = ? returning id`,
    [
      entry.outcome,
      Math.round(entry.durationMs),
      entry.headBefore,
      entry.headAfter,
      JSON.stringify(entry.steps),
      entry.error ? JSON.stringify(entry.error) : null,
      entry.details ? JSON.stringify(entry.details) : null,
      token,
    ],
  );
  if (res.rows.length > 0) return Number(res.rows[0].id);
  return recordHistory(db, names, identity, { ...entry, details: { ...entry.details, token } });
}

/** Forget the row of an operation refused before it started (it never was an operation). */
export async function dropStartedHistory(db: Knex, names: LedgerNames, token: string): Promise<void> {
  await db.raw(`delete from ${qualified(names, names.history)} where details->>'token' = ? and outcome = 'running'`, [token]);
}

/** Runs that started and neither ended nor run now, newest first (status lists them). */
export async function findInterruptedOperations(db: SqlSource, names: LedgerNames): Promise<InterruptedOperation[]> {
  const reader = readerOf(db);
  const [present] = await reader.query<{ ok: boolean }>('select to_regclass(?) is not null as ok', [regclassName(names, names.history)]);
  if (!present?.ok) return [];
  const rows = await reader.query<Record<string, unknown>>(
    `select * from (select h.id, h.operation, h.os_user, h.host, h.started_at, h.details->>'migration' as migration, ${LIVE_OUTCOME_SQL} as shown
                      from ${qualified(names, names.history)} h where h.outcome = 'running') r
      where r.shown = 'interrupted' order by r.id desc`,
    [false],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    operation: r.operation as Operation,
    startedAt: isoOf(r.started_at),
    by: `${String(r.os_user)}@${String(r.host)}`,
    migration: (r.migration as string | null) ?? null,
  }));
}

function isoOf(value: unknown): string {
  return value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();
}

export interface HistoryFilter {
  operation?: Operation;
  outcome?: RunOutcome;
  limit?: number;
}

function json<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/**
 * A recorded plan; one recorded before plans carried their backup decision gets one from what the run did,
 * one recorded before they carried their confirmation gets what a change to this database asks now.
 */
function planOf(value: unknown, details: Record<string, unknown> | null, db: Db): Plan {
  const plan = json<Omit<Plan, 'backup' | 'confirmation'> & Partial<Pick<Plan, 'backup' | 'confirmation'>>>(value) as Plan;
  const taken = typeof details?.backupId === 'string';
  return {
    ...plan,
    backup: plan.backup ?? { take: taken, reason: taken ? 'A backup was taken first.' : 'No backup was taken first.' },
    confirmation: plan.confirmation ?? confirmationFor(db.target),
  };
}

/** A row's details without the bookkeeping of its start (the token naming it, the session holding it). */
function shownDetails({ token: _token, holder: _holder, ...details }: Record<string, unknown>): Record<string, unknown> {
  return details;
}

/** The log, newest first. A database Stepstone never wrote to has an empty log. */
export async function listHistory(db: Db, filter: HistoryFilter = {}): Promise<HistoryEntry[]> {
  const present = await existingTables(db.knex, db.names, [db.names.history]);
  if (!present.has(db.names.history)) return [];
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (filter.operation) (where.push('operation = ?'), params.push(filter.operation));
  if (filter.outcome) (where.push('shown = ?'), params.push(filter.outcome));
  params.push(filter.limit ?? 1000);
  const embeddedLive = db.embedded && db.context.caches.embeddedLocks.size > 0;
  const res = await db.knex.raw(
    `select * from (select h.*, ${LIVE_OUTCOME_SQL} as shown from ${qualified(db.names, db.names.history)} h) r
      ${where.length ? `where ${where.join(' and ')}` : ''} order by id desc limit ?`,
    [embeddedLive, ...params],
  );
  return res.rows.map((r: Record<string, unknown>) => {
    const details = r.details ? shownDetails(json<Record<string, unknown>>(r.details)) : null;
    return {
      id: Number(r.id),
      operation: r.operation as Operation,
      outcome: r.shown as RunOutcome,
      osUser: String(r.os_user),
      host: String(r.host),
      startedAt: isoOf(r.started_at),
      durationMs: Number(r.duration_ms),
      headBefore: (r.head_before as string | null) ?? null,
      headAfter: (r.head_after as string | null) ?? null,
      plan: r.plan ? planOf(r.plan, details, db) : null,
      steps: json<StepResult[]>(r.steps ?? []),
      error: r.error ? json<ErrorInfo>(r.error) : null,
      details,
    };
  });
}
