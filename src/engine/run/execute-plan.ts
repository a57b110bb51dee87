/**
 * Executes exactly a confirmed plan: takes Stepstone's advisory lock, creates the ledger tables
 * if needed, re-checks that the database and files are as planned, lets a hook take the backup,
 * runs the steps, and records it in the history: a row when it starts (so a killed run leaves a
 * trace, read as interrupted) completed with the outcome at the end, whatever happened.
 */
import type { Knex } from 'knex';
import type { Operation } from '../../shared/history';
import type { Plan, PlanStep } from '../../shared/plan';
import type { ProgressEvent, RunResult } from '../../shared/run';
import { pgReader } from '../database/sql-reader';
import type { Db } from '../database/open-database';
import { StepstoneError, isStepstoneError, messageOf, toErrorInfo } from '../errors';
import type pg from 'pg';
import { completeHistory, dropStartedHistory, moveHistoryHolder, newHistoryToken, noteHistoryMigration, startHistory } from '../history/history-log';
import { readHolder } from '../history/row-holder';
import { introspectUserSchema, recordSchemaSnapshot } from '../drift/record-schema-snapshot';
import type { SchemaSnapshot } from '../../shared/schema';
import { acquireAdvisoryLock, advisoryKey } from '../lock/advisory-lock';
import { ensureLedgerTables, qualified } from '../ledger/ledger-tables';
import { readLedger } from '../ledger/read-ledger';
import { loadPlanMigrations } from '../plan/load-plan-migrations';
import { appliedFingerprint } from '../plan/make-plan';
import { headOf } from '../migrations/list-migration-files';
import { evidenceRecorder, previousSnapshot } from '../evidence/evidence-recorder';
import { writeRunEvidence } from '../evidence/run-evidence';
import { emptyRunResult } from './empty-run';
import { nonTransactionalJournal } from '../nontransactional/journal';
import { connectionLostError, isConnectionLoss, retryOnConnectionLoss } from '../connection/connection-loss';
import { currentMigrationNote } from './current-migration-note';
import { stepRecorder } from './ledger-writes';
import { RunCancelled, runInOneTransaction, runPerMigration, type StepRunOutcome } from './run-steps';
import { errorInfo } from '../../shared/errors';

export interface ExecuteOptions {
  onProgress?: (event: ProgressEvent) => void;
  signal?: AbortSignal;
  /** Runs under the lock before any step (the backup); a throw stops the run before anything changes. */
  beforeRun?: (plan: Plan) => Promise<{ backupId: string } | null>;
}

/** Under Knex's lock: the applied set must be the one the plan was computed against. */
async function verifyUnchanged(db: Db, plan: Plan, trx: Knex): Promise<void> {
  const ledger = await readLedger(trx, db.names);
  if (appliedFingerprint(ledger.rows.map((r) => r.name)) !== plan.appliedFingerprint) {
    throw new StepstoneError('PLAN_STALE', 'The database changed since the plan was made: another process applied or rolled back migrations meanwhile.', {
      hint: 'Look at `stepstone status` and plan again; nothing was run.',
    });
  }
}

function describeState(plan: Plan, outcome: StepRunOutcome, headAfter: string | null): string {
  const verb = plan.direction === 'up' ? 'applied' : 'rolled back';
  const done = outcome.results.filter((r) => r.outcome === 'applied' || r.outcome === 'reverted').length;
  const head = headAfter ? `head is now ${headAfter}` : 'no migrations are applied';
  if (!outcome.error) return `${plan.steps.length} migration${plan.steps.length === 1 ? '' : 's'} ${verb}; ${head}.`;
  if (plan.transaction === 'single' || done === 0) return `Nothing ${verb} — the database is as before (${head}).`;
  return `${done} of ${plan.steps.length} ${verb}; ${head}.`;
}

/** What a Cancel does now, in the log's words: said before the outcome, so the user knows what to expect. */
function cancelNote(plan: Plan, running: PlanStep | null): string {
  if (plan.transaction === 'single') return 'Cancel received: stopping the running statement; the whole plan rolls back.';
  if (!running) return 'Cancel received: the run stops before the next migration.';
  if (running.transactional) return `Cancel received: stopping ${running.name}; its transaction rolls back, migrations before it stay applied.`;
  return `Cancel received: ${running.name} runs outside a transaction, so it finishes and the run stops after it.`;
}

/** Execute `plan`; resolves with the outcome (failures included) or throws when it could not start. */
export async function executePlan(db: Db, plan: Plan, options: ExecuteOptions = {}): Promise<RunResult> {
  const evidence = evidenceRecorder();
  const emit = (event: ProgressEvent) => {
    evidence.onEvent(event);
    options.onProgress?.(event);
  };
  if (plan.steps.length === 0) return emptyRunResult(plan);
  const operation = plan.direction === 'up' ? 'upgrade' : 'rollback';
  const lock = await acquireAdvisoryLock(db, operation);
  const startedAt = db.context.now();
  const t0 = performance.now();
  let backupId: string | null = null;
  let outcome: StepRunOutcome;
  let finalSchema: SchemaSnapshot | null = null;
  /** The step that ran last (a lost connection is reported as lost during it). */
  let lastRunning: PlanStep | null = null;
  /** Each migration's text as loaded, kept as the run's evidence. */
  const sources = new Map<string, string>();
  // The schema recorded before this run (the evidence's "before"), read while the run gets ready.
  const earlierSnapshot = previousSnapshot(db).catch(() => null);
  /** This run's history row, written at its start; null when that failed (then it is appended at the end). */
  let historyId: number | null = null;
  const token = newHistoryToken();
  /** Updates of the row (its current migration, its holder), in order, on the lock's own connection (autocommit, outside the run's transaction). */
  let progressNotes: Promise<void> = Promise.resolve();
  const noteOnLockSession = (update: (session: pg.Client) => Promise<void>): Promise<void> => {
    const session = lock.session;
    if (historyId !== null && session) progressNotes = progressNotes.then(() => update(session).catch(() => undefined));
    return progressNotes;
  };
  /**
   * The migration the run is on, noted on the lock's session (see currentMigrationNote for when).
   * Committed without waiting for the WAL flush: it is a progress mark, visible to others at once,
   * lost only with the server.
   */
  const asyncCommit = new WeakSet<pg.Client>();
  const migrationNote = currentMigrationNote((name) =>
    noteOnLockSession(async (session) => {
      if (!asyncCommit.has(session)) {
        await session.query('set synchronous_commit = off');
        asyncCommit.add(session);
      }
      if (historyId !== null) await noteHistoryMigration(pgReader(session), db.names, historyId, name);
    }),
  );
  // The lock's session was lost and the lock taken again on a new one: the row names its new holder.
  lock.onMoved((session) => noteOnLockSession(async () => moveHistoryHolder(pgReader(session), db.names, token, await readHolder(session, advisoryKey(db.names)))));
  try {
    const migrations = await loadPlanMigrations(db, plan);
    for (const [name, m] of migrations) sources.set(name, m.source);
    await ensureLedgerTables(db.knex, db.names);
    const holder = lock.session ? await readHolder(lock.session, advisoryKey(db.names)).catch(() => null) : null;
    historyId = await startHistory(db.knex, db.names, db.context.identity, { operation, startedAt, headBefore: plan.headBefore, plan, holder, token }).catch((e) => {
      emit({ type: 'log', level: 'warn', message: `Could not record the start of this run in the history: ${messageOf(e)}` });
      return null;
    });
    // Checked again under Knex's lock below; checking now too avoids a backup for a plan that is stale.
    if (options.beforeRun) await verifyUnchanged(db, plan, db.knex);
    const backup = await options.beforeRun?.(plan);
    backupId = backup?.backupId ?? null;
    let backendPid: number | null = null;
    let running: PlanStep | null = null;
    const onAbort = () => {
      emit({ type: 'log', level: 'warn', message: cancelNote(plan, running) });
      // Interrupt the running transactional statement: its transaction (the whole plan's, or this migration's) rolls back now.
      if (backendPid !== null && lock.session) lock.session.query('select pg_cancel_backend($1)', [backendPid]).catch(() => {});
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const ctx = {
      beforeCommit: async (trx: Knex.Transaction) => {
        // The schema this run leaves, read on its own warm connection (it sees the uncommitted objects):
        // the drift reference costs a fraction of reading it cold after the commit.
        finalSchema = await introspectUserSchema(db, trx).catch(() => null);
      },
      db,
      plan,
      migrations,
      batch: plan.batch ?? 0,
      record: stepRecorder(db.context, plan.batch ?? 0),
      signal: options.signal,
      emit: (event: ProgressEvent) => {
        if (event.type === 'started') {
          running = lastRunning = plan.steps[event.index] ?? null;
          if (running) migrationNote.started(running.name);
        } else if (event.type !== 'log') {
          running = null;
          migrationNote.ended();
        }
        emit(event);
      },
      onBackend: (pid: number | null) => (backendPid = pid),
      onStatements: evidence.onStatements,
      verify: (trx: Knex) => verifyUnchanged(db, plan, trx),
      journal: nonTransactionalJournal({ knex: db.knex, names: db.names, context: db.context, batch: plan.batch, holderPid: (lock.session as { processID?: number | null } | null)?.processID ?? null }),
    };
    try {
      outcome = plan.transaction === 'single' ? await runInOneTransaction(ctx) : await runPerMigration(ctx);
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
    // Refusals found under Knex's lock (stale plan, lock taken) mean nothing ran: report them as errors.
    if (outcome.error && outcome.failedIndex === null && !outcome.cancelled && isStepstoneError(outcome.error)) throw outcome.error;
  } catch (error) {
    // Nothing ran (or it could not start): the started row goes, as a refused run never was in the history.
    await migrationNote.close();
    await progressNotes;
    if (historyId !== null) await dropStartedHistory(db.knex, db.names, token).catch(() => undefined);
    await lock.release();
    throw error;
  }
  try {
    const changed = outcome.results.some((s) => s.outcome === 'applied' || s.outcome === 'reverted');
    // The drift reference is independent of the history row: introspect while that is written.
    const snapshot = !changed ? null : finalSchema && !outcome.error ? Promise.resolve(finalSchema) : introspectUserSchema(db);
    snapshot?.catch(() => undefined); // awaited below; a failure is reported there
    // A run that completed under the lock left exactly the planned head; after a failure, ask the ledger.
    // (On a new connection when the server closed the run's.)
    const headAfter = outcome.error ? headOf((await retryOnConnectionLoss(() => readLedger(db.knex, db.names))).rows.map((r) => r.name)) : plan.headAfter;
    const failed = outcome.failedIndex !== null ? plan.steps[outcome.failedIndex] : null;
    const during = failed ?? lastRunning;
    const error = outcome.error
      ? outcome.cancelled
        ? toErrorInfo(new RunCancelled())
        : isConnectionLoss(outcome.error)
          ? toErrorInfo(connectionLostError(outcome.error, during ? { migration: during.name } : { operation }))
          : failed
            ? errorInfo('MIGRATION_FAILED', `${failed.name} failed: ${messageOf(outcome.error)}`, { migration: failed.name })
            : toErrorInfo(outcome.error)
      : null;
    const fields = {
      plan,
      steps: outcome.results,
      durationMs: performance.now() - t0,
      headAfter,
      stateAfter: describeState(plan, outcome, headAfter),
      historyId: null,
      backupId,
    };
    const result: RunResult = error
      ? { ...fields, outcome: outcome.cancelled ? 'cancelled' : 'failed', error }
      : { ...fields, outcome: 'succeeded', error: null };
    await migrationNote.close();
    await progressNotes;
    const finished = {
      operation: operation as Operation,
      outcome: result.outcome,
      startedAt,
      durationMs: result.durationMs,
      headBefore: plan.headBefore,
      headAfter,
      plan,
      steps: result.steps,
      error,
      details: {
        backupId,
        transaction: plan.transaction,
        stateAfter: result.stateAfter,
        // Which staging run this production upgrade followed (the promotion guard's reading at plan time).
        ...(plan.promotion ? { followedStaging: { environment: plan.promotion.staging.label, database: plan.promotion.staging.database, run: plan.promotion.staging.lastRun } } : {}),
      },
    };
    const historyWrite = retryOnConnectionLoss(() => completeHistory(db.knex, db.names, db.context.identity, token, finished)).catch((e) => {
      emit({ type: 'log', level: 'warn', message: `Could not record this run in the history: ${messageOf(e)}` });
      return null;
    });
    // While the history row is written: the schema this run left, and its evidence encoded.
    const after = snapshot ? await snapshot.catch(() => null) : null;
    const sealed = evidence
      .seal({ plan, results: result.steps, sources, before: after ? await earlierSnapshot : null, after })
      .catch((e) => (emit({ type: 'log', level: 'warn', message: `Could not keep this run's SQL and log: ${messageOf(e)}` }), null));
    result.historyId = await historyWrite;
    const historyId = result.historyId;
    await Promise.all([
      // The reference for drift detection: the schema as this run left it.
      snapshot &&
        recordSchemaSnapshot(db, { historyId, head: headAfter, tablesReady: true }, snapshot).catch((e) =>
          emit({ type: 'log', level: 'warn', message: `Could not record the schema snapshot for drift detection: ${messageOf(e)}` }),
        ),
      historyId !== null &&
        sealed.then((gz) =>
          gz && writeRunEvidence(db.knex, db.names, historyId, gz).catch((e) => emit({ type: 'log', level: 'warn', message: `Could not keep this run's SQL and log: ${messageOf(e)}` })),
        ),
    ]);
    return result;
  } finally {
    await lock.release();
  }
}
