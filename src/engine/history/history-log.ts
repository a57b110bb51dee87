/** Stepstone's append-only audit log: one row per operation, written outside the operation's transaction. */
import type { Knex } from 'knex';
import type { ErrorInfo, HistoryEntry, Operation, Plan, RunOutcome, StepResult } from '../../shared/domain';
import type { Db } from '../database/open-database';
import type { Identity } from '../engine-context';
import { type LedgerNames, qualified, existingTables } from '../ledger/ledger-tables';
import { confirmationFor } from '../profiles/confirmation';

export interface NewHistoryEntry {
  operation: Operation;
  outcome: RunOutcome;
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
  if (filter.outcome) (where.push('outcome = ?'), params.push(filter.outcome));
  params.push(filter.limit ?? 1000);
  const res = await db.knex.raw(
    `select * from ${qualified(db.names, db.names.history)} ${where.length ? `where ${where.join(' and ')}` : ''} order by id desc limit ?`,
    params,
  );
  return res.rows.map((r: Record<string, unknown>) => {
    const details = r.details ? json<Record<string, unknown>>(r.details) : null;
    return {
      id: Number(r.id),
      operation: r.operation as Operation,
      outcome: r.outcome as RunOutcome,
      osUser: String(r.os_user),
      host: String(r.host),
      startedAt: r.started_at instanceof Date ? r.started_at.toISOString() : new Date(String(r.started_at)).toISOString(),
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
