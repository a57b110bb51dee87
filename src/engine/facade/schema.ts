/** Façade: what a plan would do to the schema (dry run, SQL script) and what changed outside migrations (drift). */
import type { Plan } from '../../shared/plan';
import type { DriftReport, DryRunResult } from '../../shared/schema';
import { describeIdentity, type EngineContext } from '../engine-context';
import { type DbSession, dbOf } from './session';

/** A plan's SQL as a reviewable script, and the dry run it was captured from (its `ok` says whether the script is complete). */
export interface PlanScript {
  script: string;
  dryRun: DryRunResult;
}

/**
 * What a caller says about a dry run. `scratchDrop: 'background'` (the command line): the answer
 * comes once the scratch database's DROP is sent, not when the server has done it (dry-run-plan.ts).
 */
export interface DryRunCallOptions {
  onLog?: (message: string) => void;
  scratchDrop?: 'wait' | 'background';
}

/** The schema operations of `createEngine`. */
export function schemaOperations(context: EngineContext) {
  return {
    /**
     * Run the plan and roll it back (or on a scratch copy): each migration's SQL and schema change; nothing is kept.
     * Aborting `signal` cancels its running statement on the server and stops it (CANCELLED).
     */
    async dryRun(session: DbSession, plan: Plan, options: DryRunCallOptions & { signal?: AbortSignal } = {}): Promise<DryRunResult> {
      return (await import('../dry-run/dry-run-plan')).dryRunPlan(dbOf(session), plan, options);
    },

    /** The plan's SQL as one script, its header naming the database, the head and the profile's ledger table. */
    async planSql(session: DbSession, plan: Plan, options: DryRunCallOptions = {}): Promise<PlanScript> {
      const db = dbOf(session);
      const [{ dryRunPlan }, { renderPlanSql }, { databaseNameOf }] = await Promise.all([
        import('../dry-run/dry-run-plan'),
        import('../dry-run/render-plan-sql'),
        import('../connection/connection-target'),
      ]);
      const dryRun = await dryRunPlan(db, plan, options);
      const script = renderPlanSql(dryRun, {
        database: databaseNameOf(db.target),
        head: plan.headBefore,
        plan,
        // The ledger named once, from the session's settings: the header and the ledger writes agree.
        ledger: { tableName: db.names.migrations, schemaName: db.names.schema },
        generatedAt: context.now(),
        generatedBy: `${describeIdentity(context.identity)} via stepstone`,
      });
      return { script, dryRun };
    },

    /** The live schema against the snapshot recorded after the last Stepstone run. */
    async detectDrift(session: DbSession): Promise<DriftReport> {
      return (await import('../drift/detect-drift')).detectDrift(dbOf(session));
    },
  };
}
