/**
 * Stepstone's append-only audit log: one row per operation, written outside the operation's transaction.
 * A run's row is written when it starts (outcome `running`, autocommitted) and completed at its end,
 * so a run killed in between leaves a row that no live session holds: it reads as `interrupted`.
 */
import type { Knex } from 'knex';
import type { ErrorInfo, FinishedOutcome, HistoryEntry, InterruptedOperation, Operation, Plan, RunOutcome, StepResult } from '../../shared/domain';
import type { Db } from '../database/open-database';
import type { Identity } from '../engine-context';
import { type LedgerNames, qualified, existingTables, regclassName } from '../ledger/ledger-tables';
import { confirmationFor } from '../profiles/confirmation';
import { type SqlSource, readerOf } from '../database/sql-reader';
import { advisoryKey } from '../lock/advisory-lock';

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
  /** The backend pid of the session holding Stepstone's advisory lock for this run (null: embedded). */
  holderPid: number | null;
}

/** The row of a run that starts now, outcome `running`; autocommitted so a killed run leaves it. Returns its id. */
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
      JSON.stringify({ holderPid: entry.holderPid }),
    ],
  );
  return Number(res.rows[0].id);
}

/** The migration a running run is on (read back as where an interrupted run stopped). */
export async function noteHistoryMigration(db: SqlSource, names: LedgerNames, id: number, migration: string): Promise<void> {
  await readerOf(db).query(
    `update ${qualified(names, names.history)} set details = coalesce(details, '{}'::jsonb) || jsonb_build_object('migration', ?::text) where id = ? and outcome = 'running'`,
    [migration, id],
  );
}

/** Complete a started row with the run's outcome. */
export async function completeHistory(db: Knex, names: LedgerNames, id: number, entry: Omit<NewHistoryEntry, 'operation' | 'startedAt' | 'plan'>): Promise<void> {
  await db.raw(
    `update ${qualified(names, names.history)}
        set outcome = ?, duration_ms = ?, head_before = ?, head_after = ?, steps = ?::jsonb, error = ?::jsonb,
            details = (coalesce(details, '{}'::jsonb) - 'holderPid' - 'migration') || coalesce(?::jsonb, '{}'::jsonb)
      where id = ?`,
    [
      entry.outcome,
      Math.round(entry.durationMs),
      entry.headBefore,
      entry.headAfter,
      JSON.stringify(entry.steps),
      entry.error ? JSON.stringify(entry.error) : null,
      entry.details ? JSON.stringify(entry.details) : null,
      id,
    ],
  );
}

/**
 * The outcome as read: a `running` row whose holder no longer holds Stepstone's advisory lock in
 * this database (killed, crashed, connection gone) is `interrupted`. `embeddedLive`: an embedded
 * database's only run is in this process, which knows whether it runs one.
 */
function outcomeExpression(names: LedgerNames): { sql: string; params: number[] } {
  const [k1, k2] = advisoryKey(names);
  return {
    sql: `case when h.outcome not in ('succeeded', 'failed', 'cancelled') then
            case when (h.details->>'holderPid') is null and ?::boolean then 'running'
                 when exists (select 1 from pg_locks l
                               where l.locktype = 'advisory' and l.granted
                                 and l.database = (select oid from pg_database where datname = current_database())
                                 and l.classid = (?::int)::oid and l.objid = (?::int)::oid and l.objsubid = 2
                                 and l.pid = (h.details->>'holderPid')::int) then 'running'
                 else 'interrupted' end
          else h.outcome end`,
    params: [k1, k2],
  };
}

/** Runs that started and neither ended nor run now, newest first (status lists them). */
export async function findInterruptedOperations(db: SqlSource, names: LedgerNames): Promise<InterruptedOperation[]> {
  const reader = readerOf(db);
  const [present] = await reader.query<{ ok: boolean }>('select to_regclass(?) is not null as ok', [regclassName(names, names.history)]);
  if (!present?.ok) return [];
  const outcome = outcomeExpression(names);
  const rows = await reader.query<Record<string, unknown>>(
    `select * from (select h.id, h.operation, h.os_user, h.host, h.started_at, h.details->>'migration' as migration, ${outcome.sql} as shown
                      from ${qualified(names, names.history)} h where h.outcome = 'running') r
      where r.shown = 'interrupted' order by r.id desc`,
    [false, ...outcome.params],
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

/** The log, newest first. A database Stepstone never wrote to has an empty log. */
export async function listHistory(db: Db, filter: HistoryFilter = {}): Promise<HistoryEntry[]> {
  const present = await existingTables(db.knex, db.names, [db.names.history]);
  if (!present.has(db.names.history)) return [];
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (filter.operation) (where.push('operation = ?'), params.push(filter.operation));
  const outcome = outcomeExpression(db.names);
  if (filter.outcome) (where.push('shown = ?'), params.push(filter.outcome));
  params.push(filter.limit ?? 1000);
  const embeddedLive = db.embedded && db.context.caches.embeddedLocks.size > 0;
  const res = await db.knex.raw(
    `select * from (select h.*, ${outcome.sql} as shown from ${qualified(db.names, db.names.history)} h) r
      ${where.length ? `where ${where.join(' and ')}` : ''} order by id desc limit ?`,
    [embeddedLive, ...outcome.params, ...params],
  );
  return res.rows.map((r: Record<string, unknown>) => {
    const details = r.details ? json<Record<string, unknown>>(r.details) : null;
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
