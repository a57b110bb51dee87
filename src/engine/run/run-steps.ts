/**
 * Runs a plan's steps with Knex's transaction semantics: all in one transaction (all or nothing),
 * or each in its own (a migration with `config.transaction = false` gets none). Emits one
 * progress event per transition and never leaves Knex's lock row set.
 */
import type { Knex } from 'knex';
import type { Plan, PlanStep } from '../../shared/plan';
import type { ProgressEvent, StepResult } from '../../shared/run';
import type { Db } from '../database/open-database';
import { StepstoneError, messageOf } from '../errors';
import { freeLockRow, takeLockRow, takeLockRowInTransaction } from '../lock/knex-lock-row';
import type { LoadedMigration } from '../migrations/load-migration';
import { type StepRecord, stepRecorder, writeKnexLedgerRow, writeStepToLedger, writeStepstoneRecords } from './ledger-writes';
import { CaptureFailure, type StatementCapture, captureStatements } from '../dry-run/capture-statements';
import { retryOnConnectionLoss } from '../connection/connection-loss';
import type { CapturedStatement } from '../../shared/schema';
import type { NonTransactionalJournal } from '../nontransactional/journal';

export interface StepRunContext {
  db: Db;
  plan: Plan;
  migrations: Map<string, LoadedMigration>;
  batch: number;
  /** The ledger record of a step that ran for `durationMs`, ending now (stepRecorder). */
  record: (durationMs: number) => StepRecord;
  signal?: AbortSignal;
  emit: (event: ProgressEvent) => void;
  /** Called with the backend pid running a transactional step (null once it ended), so a cancel can interrupt its statement. */
  onBackend?: (pid: number | null) => void;
  /** Re-checks, under Knex's lock, that the database is still as planned. */
  verify: (db: Knex) => Promise<void>;
  /** The SQL a step sent (also when it failed or was cancelled), for the run's evidence. */
  onStatements?: (index: number, statements: CapturedStatement[]) => void;
  /** One-transaction mode: runs on the transaction after the last step, before the commit. Must not throw. */
  beforeCommit?: (trx: Knex.Transaction) => Promise<void>;
  /** Records the start and end of each non-transactional step (an interrupted one is found by its open row). */
  journal?: NonTransactionalJournal;
}

export interface StepRunOutcome {
  results: StepResult[];
  error: unknown;
  /** Index of the step that failed, if one did. */
  failedIndex: number | null;
  cancelled: boolean;
}

/** The server process of a transaction's connection (pg's BackendKeyData: no round trip); null when unknown. */
async function backendPidOf(trx: Knex.Transaction): Promise<number | null> {
  const connection = (await trx.client.acquireConnection()) as { processID?: number | null };
  return typeof connection.processID === 'number' ? connection.processID : null;
}

export class RunCancelled extends StepstoneError {
  constructor() {
    super('CANCELLED', 'The run was cancelled.');
  }
}

function initialResults(plan: Plan): StepResult[] {
  return plan.steps.map((s) => ({ name: s.name, direction: s.direction, outcome: 'skipped', durationMs: null, error: null }));
}

/** The step was stopped by Cancel: recorded as cancelled (not failed), and the run ends. */
function cancelStep(ctx: StepRunContext, step: PlanStep, index: number, started: number, results: StepResult[]): RunCancelled {
  const durationMs = performance.now() - started;
  results[index] = { name: step.name, direction: step.direction, outcome: 'cancelled', durationMs, error: 'Cancelled while running.' };
  ctx.emit({ type: 'cancelled', name: step.name, index, durationMs });
  return new RunCancelled();
}

/** How one step runs: on the run's transaction or alone, and what it shares with the steps around it. */
interface StepPlacement {
  /** A cancel noticed after the step's code returned still rolls it back. */
  inTransaction: boolean;
  /** One transaction's records, written together before it commits (Knex's row goes at once). */
  records?: Array<{ step: PlanStep; record: StepRecord }>;
  /** The transaction's capture, reused by each of its steps; without one, the step makes its own. */
  capture?: StatementCapture | null;
}

/** Run one step on `db`. */
async function runOne(ctx: StepRunContext, step: PlanStep, index: number, db: Knex, results: StepResult[], placement: StepPlacement): Promise<void> {
  const { inTransaction, records: deferred, capture: shared } = placement;
  if (ctx.signal?.aborted) throw new RunCancelled();
  const migration = ctx.migrations.get(step.name)!;
  ctx.emit({ type: 'started', name: step.name, index, total: ctx.plan.steps.length, direction: step.direction });
  const started = performance.now();
  // Capture on the step's own transaction (or Knex, outside one): the evidence of what it sent.
  const capture = shared !== undefined ? shared : ctx.onStatements ? captureStatements(db) : null;
  try {
    if (capture) ctx.onStatements!(index, (await capture.during(async () => migration[step.direction](db))).statements);
    else await migration[step.direction](db);
  } catch (caught) {
    const error = caught instanceof CaptureFailure ? caught.error : caught;
    if (caught instanceof CaptureFailure) ctx.onStatements!(index, caught.statements);
    if (ctx.signal?.aborted) throw cancelStep(ctx, step, index, started, results);
    const durationMs = performance.now() - started;
    const message = messageOf(error);
    results[index] = { name: step.name, direction: step.direction, outcome: 'failed', durationMs, error: message };
    ctx.emit({ type: 'failed', name: step.name, index, durationMs, message });
    throw error;
  } finally {
    if (shared === undefined) capture?.detach();
  }
  // The cancel arrived between two statements: the transaction can still undo this step.
  if (inTransaction && ctx.signal?.aborted) throw cancelStep(ctx, step, index, started, results);
  const durationMs = performance.now() - started;
  const record = ctx.record(durationMs);
  if (deferred) {
    await writeKnexLedgerRow(db, ctx.db.names, step, record);
    deferred.push({ step, record });
  } else {
    await writeStepToLedger(db, ctx.db.names, step, record);
  }
  results[index] = { name: step.name, direction: step.direction, outcome: step.direction === 'up' ? 'applied' : 'reverted', durationMs, error: null };
  ctx.emit({ type: 'finished', name: step.name, index, durationMs });
}

/** All steps in one transaction: a failure or cancel rolls every step back. */
export async function runInOneTransaction(ctx: StepRunContext): Promise<StepRunOutcome> {
  const results = initialResults(ctx.plan);
  let failedIndex: number | null = null;
  let current = -1;
  // What the step threw: a failed ROLLBACK on a connection the server closed would otherwise replace it.
  let stepError: unknown;
  try {
    await ctx.db.knex.transaction(async (trx) => {
      if (!ctx.db.embedded) ctx.onBackend?.(await backendPidOf(trx));
      await takeLockRowInTransaction(trx, ctx.db.names);
      await ctx.verify(trx);
      const records: Array<{ step: PlanStep; record: StepRecord }> = [];
      const capture = ctx.onStatements ? captureStatements(trx) : null;
      try {
        for (const [index, step] of ctx.plan.steps.entries()) {
          current = index;
          await runOne(ctx, step, index, trx, results, { inTransaction: true, records, capture }).catch((error) => {
            throw (stepError = error);
          });
        }
      } finally {
        capture?.detach();
      }
      await writeStepstoneRecords(trx, ctx.db.names, records).catch((error) => {
        // A Cancel that interrupts this write stops the whole plan, as during a step.
        throw (stepError = ctx.signal?.aborted ? new RunCancelled() : error);
      });
      await ctx.beforeCommit?.(trx);
      await freeLockRow(trx, ctx.db.names);
    });
    return { results, error: null, failedIndex: null, cancelled: false };
  } catch (error) {
    if (current >= 0 && results[current]?.outcome === 'failed') failedIndex = current;
    // The transaction rolled back: what had run is undone.
    for (const r of results) if (r.outcome === 'applied' || r.outcome === 'reverted') r.outcome = 'rolled-back';
    const cause = stepError ?? error;
    return { results, error: cause, failedIndex, cancelled: cause instanceof RunCancelled };
  }
}

/** Each step in its own transaction (or none when it opts out); a failure stops after committed steps. */
export async function runPerMigration(ctx: StepRunContext): Promise<StepRunOutcome> {
  const results = initialResults(ctx.plan);
  const { knex } = ctx.db;
  await takeLockRow(knex, ctx.db.names);
  let failedIndex: number | null = null;
  // What the step threw: a failed ROLLBACK on a connection the server closed would otherwise replace it.
  let stepError: unknown;
  try {
    await ctx.verify(knex);
    for (const [index, step] of ctx.plan.steps.entries()) {
      if (ctx.signal?.aborted) throw new RunCancelled();
      failedIndex = index;
      if (step.transactional) {
        // Cancel interrupts this migration's statement; its transaction rolls back, earlier ones stay.
        await knex.transaction(async (trx) => {
          if (!ctx.db.embedded) ctx.onBackend?.(await backendPidOf(trx));
          try {
            await runOne(ctx, step, index, trx, results, { inTransaction: true }).catch((error) => {
              throw (stepError = error);
            });
          } finally {
            ctx.onBackend?.(null);
          }
        });
      } else {
        // Outside a transaction nothing could be undone: Cancel stops the run after it instead.
        // Its start is journalled first, on its own: if the process dies inside, status can say what it left.
        const entry = await ctx.journal?.start(step, ctx.migrations.get(step.name)!);
        try {
          await runOne(ctx, step, index, knex, results, { inTransaction: false });
        } catch (error) {
          if (entry !== undefined) await ctx.journal!.finish(entry, 'failed', messageOf(error));
          throw error;
        }
        if (entry !== undefined) await ctx.journal!.finish(entry, 'succeeded', null);
      }
      failedIndex = null;
    }
    return { results, error: null, failedIndex: null, cancelled: false };
  } catch (error) {
    const cause = stepError ?? error;
    const cancelled = cause instanceof RunCancelled;
    if (failedIndex !== null && results[failedIndex].outcome !== 'failed') failedIndex = null;
    return { results, error: cause, failedIndex, cancelled };
  } finally {
    // The run's connection may be gone (terminated by the server): the row is freed on a new one.
    await retryOnConnectionLoss(() => freeLockRow(knex, ctx.db.names)).catch((error) =>
      ctx.emit({ type: 'log', level: 'error', message: `Could not free Knex's lock row (release it with \`stepstone unlock\`): ${messageOf(error)}` }),
    );
  }
}
