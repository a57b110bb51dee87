/**
 * Dry run of a plan: each migration's SQL (with bindings) and the schema change it makes, without
 * changing anything. On the live database the steps run inside one transaction with short lock and
 * statement timeouts and are rolled back; steps that cannot run in a transaction (and whole plans on
 * production profiles) run for real on a throwaway schema-only copy on the same server instead.
 */
import type { Knex } from 'knex';
import type { ErrorInfo } from '../../shared/error-info';
import type { Plan } from '../../shared/plan';
import type { DryRunResult, SchemaSnapshot } from '../../shared/schema';
import { loadPlanMigrations } from '../plan/load-plan-migrations';
import { ledgerTableExclusions } from '../ledger/ledger-tables';
import { databaseNameOf } from '../connection/connection-target';
import type { Db } from '../database/open-database';
import { StepstoneError, messageOf } from '../errors';
import { readLedger } from '../ledger/read-ledger';
import { canBatch } from '../schema/catalog-batch';
import { diffSchemas, introspectSchema } from '../schema';
import { CaptureFailure, captureStatements } from './capture-statements';
import {
  type DryRunContext,
  initialEntries,
  isBusyError,
  ledgerAfterSteps,
  previewError,
  skipFrom,
  skippedEntry,
  throwIfCancelled,
} from './dry-run-steps';
import { previewOnScratch } from './preview-on-scratch';
import { startLockTrace } from './trace-locks';
import { type ScratchDatabase, createScratchDatabase, scratchUnavailableReason } from './scratch-copy';

export interface DryRunOptions {
  /** Cleanup problems (a scratch database that could not be dropped). */
  onLog?: (message: string) => void;
  /** Read each statement's locks, rewrites and timing (lint); off by default: one extra query per statement. */
  traceLocks?: boolean;
  /**
   * Aborting stops the dry run: the live transaction's running statement is cancelled on the server
   * (pg_cancel_backend) so it rolls back and frees its locks now, and no further step runs; CANCELLED.
   */
  signal?: AbortSignal;
  /**
   * 'wait' (the default): the scratch database is gone when the dry run resolves. 'background': it
   * resolves once DROP DATABASE is sent to the server, not when the server has done it — DROP
   * DATABASE waits for a checkpoint of the whole cluster (hundreds of milliseconds on a quiet
   * server, seconds on a busy one), which the answer need not wait for. For the command line,
   * whose process may then end while the server finishes the drop: temporary-database.ts
   * (sendDrop) says why that is safe and what drops the database should the drop fail.
   */
  scratchDrop?: 'wait' | 'background';
}

/** Thrown inside the live transaction to roll it back once the preview is done. */
class RollbackDryRun extends Error {}

interface LivePhase {
  before: SchemaSnapshot;
  /** Schema at the point the live phase stopped (inside the transaction, before the rollback). */
  after: SchemaSnapshot;
  /** Index of the first step left for the scratch phase, or null. */
  handoff: number | null;
  error: ErrorInfo | null;
}

/** Preview `plan` on `db`; resolves with per-migration SQL and diffs, or with DRY_RUN_BUSY in `error`. */
export async function dryRunPlan(db: Db, plan: Plan, options: DryRunOptions = {}): Promise<DryRunResult> {
  throwIfCancelled(options);
  const excludeTables = ledgerTableExclusions(db.names);
  if (plan.steps.length === 0) {
    await loadPlanMigrations(db, plan);
    const snapshot = await introspectSchema(db.knex, { excludeTables });
    return { where: 'live', whereDetail: 'Nothing to run.', migrations: [], combinedDiff: { changes: [] }, ok: true, error: null, schemaAfter: snapshot };
  }
  const production = db.target.profile.environment === 'production';
  // The migrations load (each file compiled) while the server says whether a scratch database may be created.
  const loading = loadPlanMigrations(db, plan);
  loading.catch(() => {}); // awaited below; never an unhandled rejection meanwhile
  const scratchProblem = await scratchUnavailableReason(db);

  // A plan that will need a scratch database gets it created now, while the migrations load and the
  // live phase (or the schema read) runs: CREATE DATABASE takes a round trip of its own, on a busy
  // server hundreds of milliseconds, that need not wait.
  const early = !scratchProblem && (production || plan.steps.some((s) => !s.transactional)) ? startScratch(db, options.onLog) : null;
  try {
    const ctx: DryRunContext = {
      db,
      plan,
      migrations: await loading,
      entries: initialEntries(plan),
      excludeTables,
      onLog: options.onLog,
      traceLocks: options.traceLocks ?? false,
      signal: options.signal,
      scratchDrop: options.scratchDrop ?? 'wait',
    };
    throwIfCancelled(ctx);
    return await dryRunWith(ctx, early, scratchProblem, production, databaseNameOf(db.target));
  } finally {
    // Created for a handoff that never came (a failure before it, a stale plan): dropped again.
    if (early && !early.used) await early.dropUnused();
  }
}

/** A scratch database being created ahead of its use. */
interface EarlyScratch {
  created: Promise<ScratchDatabase>;
  used: boolean;
  take(): Promise<ScratchDatabase>;
  dropUnused(): Promise<void>;
}

function startScratch(db: Db, onLog: DryRunOptions['onLog']): EarlyScratch {
  const created = createScratchDatabase(db, onLog);
  created.catch(() => {}); // reported where it is taken; never an unhandled rejection meanwhile
  const early: EarlyScratch = {
    created,
    used: false,
    take() {
      early.used = true;
      return created;
    },
    async dropUnused() {
      const scratch = await created.catch(() => null);
      await scratch?.drop();
    },
  };
  return early;
}

async function dryRunWith(ctx: DryRunContext, early: EarlyScratch | null, scratchProblem: string | null, production: boolean, database: string): Promise<DryRunResult> {
  const { db, plan } = ctx;
  if (production) {
    const why = `Production profile: never run inside ${database}`;
    const before = await introspectSchema(db.knex, { excludeTables: ctx.excludeTables });
    if (scratchProblem) {
      skipFrom(ctx, 0, `No preview: ${scratchProblem}.`);
      return finish(ctx, before, before, `${why}, and no scratch database is available (${scratchProblem}); nothing was run.`, null);
    }
    const ledger = await readLedger(db.knex, db.names);
    const scratch = await previewOnScratch(ctx, 0, before, ledger.rows, early?.take());
    return finish(ctx, before, scratch.after ?? before, `${why}: ran on a ${scratch.detail}.`, null);
  }

  let live: LivePhase;
  try {
    live = await runLive(ctx, scratchProblem);
  } catch (error) {
    throwIfCancelled(ctx);
    if (isBusyError(error)) {
      // Reading the schema itself waited: another session holds an exclusive lock on one of its tables.
      const info = previewError(error, undefined);
      skipFrom(ctx, 0, 'Not previewed: the database is busy (reading its schema waited for a lock).');
      return { where: 'live', whereDetail: `Inside ${database}; stopped before any migration ran: busy.`, migrations: ctx.entries, combinedDiff: { changes: [] }, ok: false, error: info, schemaAfter: null };
    }
    if (error instanceof StepstoneError) throw error;
    throw new StepstoneError('DRY_RUN_FAILED', `The dry run could not run: ${messageOf(error)}`, { cause: error, hint: 'Nothing was changed.' });
  }
  // A cancelled statement reads as a failed step: say what it was instead, and run nothing more.
  throwIfCancelled(ctx);
  const liveDetail = `Ran inside ${database} in one transaction and rolled back (lock_timeout 2s, statement_timeout 30s)`;
  const skipped = ctx.entries.filter((e) => e.preview === 'skipped' && !e.transactional).map((e) => e.name);
  // Only those skipped for want of a scratch database: after a failure the rest are skipped for that reason instead.
  const skippedNote = skipped.length && scratchProblem ? `; not previewed (no transaction possible, ${scratchProblem}): ${skipped.join(', ')}` : '';
  if (live.handoff === null || live.error) {
    return finish(ctx, live.before, live.after, `${liveDetail}${skippedNote}.`, live.error);
  }
  // A step that cannot run in a transaction: it and the rest run on a copy of the schema as it is at that point.
  const from = plan.steps[live.handoff].name;
  const ledger = await readLedger(db.knex, db.names);
  const scratch = await previewOnScratch(ctx, live.handoff, live.after, ledgerAfterSteps(ledger.rows, plan, live.handoff, db.context.now()), early?.take());
  const detail = `${liveDetail} up to ${from}; ${from} (not transactional) and the rest ran on a ${scratch.detail}.`;
  return finish(ctx, live.before, scratch.after ?? live.after, detail, null);
}

function finish(ctx: DryRunContext, before: SchemaSnapshot, after: SchemaSnapshot, whereDetail: string, error: ErrorInfo | null): DryRunResult {
  const anyLive = ctx.entries.some((e) => e.preview === 'ran');
  const firstError = error ?? ctx.entries.find((e) => e.error)?.error ?? null;
  const fields = {
    where: anyLive || !ctx.entries.some((e) => e.preview === 'scratch') ? ('live' as const) : ('scratch' as const),
    whereDetail,
    migrations: ctx.entries,
    combinedDiff: diffSchemas(before, after),
    schemaAfter: after,
  };
  return firstError === null ? { ...fields, ok: true, error: null } : { ...fields, ok: false, error: firstError };
}

/** Transactional steps inside one rolled-back transaction; stops at a failure or at the first step needing scratch. */
async function runLive(ctx: DryRunContext, scratchProblem: string | null): Promise<LivePhase> {
  let phase: LivePhase | null = null;
  try {
    await ctx.db.knex.transaction(async (trx) => {
      const stopCancelling = await cancelBackendOnAbort(ctx, trx);
      try {
        const timeouts = [`set local lock_timeout = '2s'`, `set local statement_timeout = '30s'`];
        if (canBatch(trx)) await trx.raw(timeouts.join(';\n'));
        else for (const sql of timeouts) await trx.raw(sql);
        const before = await introspectSchema(trx, { excludeTables: ctx.excludeTables });
        phase = { before, after: before, handoff: null, error: null };
        await runLiveSteps(ctx, trx, phase, scratchProblem);
      } finally {
        stopCancelling();
      }
      throw new RollbackDryRun();
    });
  } catch (error) {
    if (!(error instanceof RollbackDryRun)) throw error;
  }
  return phase!;
}

async function runLiveSteps(ctx: DryRunContext, trx: Knex.Transaction, phase: LivePhase, scratchProblem: string | null): Promise<void> {
  const capture = captureStatements(trx);
  const tracer = ctx.traceLocks ? await startLockTrace(trx, 'live', ctx.excludeTables) : undefined;
  try {
    for (const [i, step] of ctx.plan.steps.entries()) {
      throwIfCancelled(ctx);
      if (!step.transactional) {
        // Never run for real on the live database (e.g. CREATE INDEX CONCURRENTLY): hand over to a scratch copy, or skip.
        if (!scratchProblem) {
          phase.handoff = i;
          return;
        }
        ctx.entries[i] = skippedEntry(step, `No preview: it cannot run inside a transaction and ${scratchProblem}.`);
        continue;
      }
      const migration = ctx.migrations.get(step.name)!;
      const entry = { name: step.name, direction: step.direction, transactional: true, preview: 'ran' as const, reason: null };
      try {
        const { statements } = await capture.during(async () => migration[step.direction](trx), tracer);
        const after = await introspectSchema(trx, { excludeTables: ctx.excludeTables });
        ctx.entries[i] = { ...entry, statements, diff: diffSchemas(phase.after, after), error: null };
        phase.after = after;
      } catch (error) {
        const failure = error instanceof CaptureFailure ? error : null;
        const info = previewError(failure?.error ?? error, step.name);
        ctx.entries[i] = { ...entry, statements: failure?.statements ?? [], diff: null, error: info };
        skipFrom(ctx, i + 1, `Not run: ${step.name} failed before it.`);
        phase.error = info;
        return;
      }
    }
  } finally {
    capture.detach();
  }
}

/**
 * While the live transaction runs, an abort cancels its statement on the server (a migration may
 * sleep or wait for a lock for long): the transaction then rolls back and its locks go at once,
 * rather than holding up the run that did not wait for it. Returns the listener's removal.
 */
async function cancelBackendOnAbort(ctx: DryRunContext, trx: Knex.Transaction): Promise<() => void> {
  const { signal } = ctx;
  if (!signal) return () => {};
  const { rows } = (await trx.raw('select pg_backend_pid() as pid')) as { rows: { pid: number }[] };
  const pid = Number(rows[0].pid);
  const onAbort = () => void ctx.db.knex.raw('select pg_cancel_backend(?)', [pid]).catch(() => undefined);
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return () => signal.removeEventListener('abort', onAbort);
}
