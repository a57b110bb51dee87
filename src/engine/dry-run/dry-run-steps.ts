/**
 * What the live and scratch phases of a dry run share: the loaded migrations, the per-migration
 * entries they fill in, the ledger tables left out of every snapshot, and how errors are reported.
 */
import type { ErrorInfo } from '../../shared/error-info';
import type { Plan, PlanStep } from '../../shared/plan';
import type { DryRunMigration } from '../../shared/schema';
import type { Db } from '../database/open-database';
import { StepstoneError, messageOf } from '../errors';
import type { LedgerNames } from '../ledger/ledger-tables';
import type { LedgerRow } from '../ledger/read-ledger';
import type { LoadedMigration } from '../migrations/load-migration';
import { errorInfo } from '../../shared/errors';

/** Everything a phase needs to preview steps and record what happened. */
export interface DryRunContext {
  db: Db;
  plan: Plan;
  migrations: Map<string, LoadedMigration>;
  entries: DryRunMigration[];
  /** Passed to `introspectSchema`: Knex's and Stepstone's own tables are not the user's schema. */
  excludeTables: string[];
  onLog?: (message: string) => void;
  /** Trace each statement's locks and rewrites (see trace-locks.ts). */
  traceLocks: boolean;
  /** Aborted: stop (the live statement is cancelled on the server; no further step runs). */
  signal?: AbortSignal;
  /** How the scratch database is dropped (DryRunOptions.scratchDrop). */
  scratchDrop: 'wait' | 'background';
}

/** Every step starts as "not reached"; the phases overwrite what they preview. */
export function initialEntries(plan: Plan): DryRunMigration[] {
  return plan.steps.map((s) => skippedEntry(s, 'Not previewed.'));
}

export function skippedEntry(step: PlanStep, reason: string): DryRunMigration {
  return { name: step.name, direction: step.direction, transactional: step.transactional, preview: 'skipped', reason, statements: [], diff: null, error: null };
}

/** Marks the steps from `from` on as not run, with `reason`. */
export function skipFrom(ctx: DryRunContext, from: number, reason: string): void {
  for (let i = from; i < ctx.plan.steps.length; i++) ctx.entries[i] = skippedEntry(ctx.plan.steps[i], reason);
}

const BUSY_CODES = new Set(['55P03', '57014']); // lock_not_available, query_canceled (statement_timeout)

/** A lock or statement timeout: the database is busy (or the step is slow), not broken. */
export function isBusyError(error: unknown): boolean {
  return BUSY_CODES.has((error as { code?: string })?.code ?? '');
}

/** The error a preview reports for a failing migration (DRY_RUN_BUSY for timeouts). */
export function previewError(error: unknown, migration: string | undefined): ErrorInfo {
  if (isBusyError(error)) {
    return errorInfo('DRY_RUN_BUSY', `The database is busy, try later: ${migration ? `${migration} ` : 'the dry run '}waited too long (${messageOf(error)}).`, {
      hint: 'Another session holds a lock the migration needs (or a statement ran over 30 s). Nothing was changed; retry when it is quieter, or preview on a scratch database.',
      migration,
    });
  }
  if (error instanceof StepstoneError) return errorInfo(error.code, error.message, { hint: error.hint, migration });
  return errorInfo('MIGRATION_FAILED', `${migration ? `${migration} would fail: ` : ''}${messageOf(error)}`, { migration });
}

/** Knex's ledger as it would be after the steps before `upTo` ran (for a scratch copy made mid-plan). */
export function ledgerAfterSteps(rows: LedgerRow[], plan: Plan, upTo: number, now: Date): LedgerRow[] {
  let result = [...rows];
  for (const step of plan.steps.slice(0, upTo)) {
    if (step.direction === 'up') result.push({ id: 0, name: step.name, batch: plan.batch ?? 0, migrationTime: now.toISOString() });
    else result = result.filter((r) => r.name !== step.name);
  }
  return result;
}

/** CANCELLED once the caller aborted (the user ran the plan without waiting, or closed the dialog). */
export function throwIfCancelled(ctx: Pick<DryRunContext, 'signal'>): void {
  if (ctx.signal?.aborted) throw new StepstoneError('CANCELLED', 'The dry run was cancelled; nothing it ran was kept.', { hint: 'Nothing was changed.' });
}
