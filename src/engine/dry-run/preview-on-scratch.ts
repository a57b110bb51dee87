/**
 * The scratch phase of a dry run: a schema-only copy of a snapshot on the same server, where the
 * remaining steps run for real (non-transactional ones too), each captured and introspected; the
 * database is dropped afterwards whatever happened (or its drop sent: DryRunOptions.scratchDrop).
 */
import type { SchemaSnapshot } from '../../shared/schema';
import type { LedgerRow } from '../ledger/read-ledger';
import { stepRecord, writeStepToLedger } from '../run/ledger-writes';
import { diffSchemas, introspectSchema } from '../schema';
import { CaptureFailure, captureStatements } from './capture-statements';
import { type DryRunContext, previewError, skipFrom, throwIfCancelled } from './dry-run-steps';
import { type ScratchDatabase, ScratchUnavailable, buildSchemaCopy, createScratchDatabase } from './scratch-copy';
import { startLockTrace, untracedStatement } from './trace-locks';

export interface ScratchPhaseResult {
  /** Schema after the last step that ran on the scratch; null when no scratch could be built. */
  after: SchemaSnapshot | null;
  /** Words for `whereDetail`: which database, how it was built, and any fidelity note. */
  detail: string;
  /** Why the steps were skipped, when no scratch could be had. */
  unavailable: string | null;
}

/**
 * Runs steps `from`… of the plan on a scratch copy of `snapshot` with `ledgerRows`; fills `ctx.entries`.
 * `created`: a scratch database already being created (the caller started it early); else one is created here.
 * The scratch database is dropped before this returns, whatever happened.
 */
export async function previewOnScratch(
  ctx: DryRunContext,
  from: number,
  snapshot: SchemaSnapshot,
  ledgerRows: LedgerRow[],
  created?: Promise<ScratchDatabase>,
): Promise<ScratchPhaseResult> {
  const { plan, db } = ctx;
  let scratch;
  try {
    scratch = await (created ?? createScratchDatabase(db, ctx.onLog));
  } catch (error) {
    if (!(error instanceof ScratchUnavailable)) throw error;
    skipFrom(ctx, from, `No preview: ${error.message}.`);
    return { after: null, detail: `no scratch database (${error.message})`, unavailable: error.message };
  }
  try {
    try {
      await buildSchemaCopy(scratch.knex, snapshot, db.names, ledgerRows);
    } catch (error) {
      if (!(error instanceof ScratchUnavailable)) throw error;
      skipFrom(ctx, from, `No preview: ${error.message}.`);
      return { after: null, detail: `no scratch database (${error.message})`, unavailable: error.message };
    }
    let previous = await introspectSchema(scratch.knex, { excludeTables: ctx.excludeTables });
    const mismatch = diffSchemas(snapshot, previous).changes.length;
    const fidelity = mismatch ? `; the copy differs from the source schema in ${mismatch} object${mismatch === 1 ? '' : 's'}` : '';
    const capture = captureStatements(scratch.knex);
    try {
      for (let i = from; i < plan.steps.length; i++) {
        throwIfCancelled(ctx);
        const step = plan.steps[i];
        const migration = ctx.migrations.get(step.name)!;
        const entry = { name: step.name, direction: step.direction, transactional: step.transactional, preview: 'scratch' as const, reason: null, diff: null, error: null };
        const started = performance.now();
        try {
          let statements;
          if (step.transactional) {
            statements = await scratch.knex.transaction(async (trx) => {
              const tracer = ctx.traceLocks ? await startLockTrace(trx, 'scratch', ctx.excludeTables) : undefined;
              const run = await capture.during(async () => migration[step.direction](trx), tracer);
              await writeStepToLedger(trx, db.names, step, stepRecord(db.context, plan.batch ?? 0, performance.now() - started));
              return run.statements;
            });
          } else {
            // Outside a transaction each statement's locks are released when it ends: nothing to read afterwards.
            statements = (await capture.during(async () => migration[step.direction](scratch.knex))).statements;
            if (ctx.traceLocks) for (const s of statements) s.trace = untracedStatement();
            await writeStepToLedger(scratch.knex, db.names, step, stepRecord(db.context, plan.batch ?? 0, performance.now() - started));
          }
          const after = await introspectSchema(scratch.knex, { excludeTables: ctx.excludeTables });
          ctx.entries[i] = { ...entry, statements, diff: diffSchemas(previous, after) };
          previous = after;
        } catch (error) {
          const failure = error instanceof CaptureFailure ? error : null;
          ctx.entries[i] = { ...entry, statements: failure?.statements ?? [], error: previewError(failure?.error ?? error, step.name) };
          skipFrom(ctx, i + 1, `Not run: ${step.name} failed before it.`);
          break;
        }
      }
    } finally {
      capture.detach();
    }
    return { after: previous, detail: `scratch database ${scratch.name} on the same server, a schema-only copy (no rows) dropped afterwards${fidelity}`, unavailable: null };
  } finally {
    await scratch.drop({ background: ctx.scratchDrop === 'background' });
  }
}
