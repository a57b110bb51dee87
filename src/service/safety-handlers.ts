/**
 * Safety channels: lint of a plan (or of the pending migrations), the rollback stairway on a
 * shadow database with its kept results, and two environments compared side by side.
 */
import { type NamedTarget, toErrorInfo } from '../engine';
import type { HandlerMap, ServiceContext } from './handler-types';
import { cancellable } from './run-registry';

/** Handlers of the safety domain. */
export function safetyHandlers({ deps, engine, profiles, runs }: ServiceContext) {
  /** A profile's target, or why it has none (no password, unset knexfile variable): a side to explain, not a failure. */
  async function sideOf(profileId: string): Promise<NamedTarget> {
    const profile = await profiles.require(profileId);
    try {
      return { label: profile.name, target: await profiles.targetFor(profile) };
    } catch (error) {
      return { label: profile.name, unavailable: toErrorInfo(error) };
    }
  }

  return {
    // Every pending migration when no plan is given; no promotion guard: lint only looks. With a runId its dry run can be cancelled.
    'migrations:lint': async ({ profileId, plan, runId }) => {
      const lint = (signal?: AbortSignal) =>
        profiles.withDatabase(profileId, 'lint', async (db) => engine.lintPlan(db, plan ?? (await engine.makePlan(db, { kind: 'upgrade' }, { promotion: false })), { signal }));
      return runId ? cancellable(runs, runId, lint) : lint();
    },

    'migrations:verify-rollbacks': async ({ profileId }) => {
      const profile = await profiles.require(profileId);
      const report = await engine.verifyRollbacks(await profiles.targetFor(profile));
      // Kept in the data folder for the timeline's rollback badges.
      await engine.recordRollbackChecks(deps.dataDir, profile.migrations, report);
      return report;
    },

    'migrations:rollback-checks': async ({ profileId }) => {
      const profile = await profiles.require(profileId);
      return engine.readRollbackChecks(deps.dataDir, profile.migrations);
    },

    'environments:compare': async ({ leftProfileId, rightProfileId }) => engine.compareEnvironments(await sideOf(leftProfileId), await sideOf(rightProfileId)),
  } satisfies HandlerMap;
}
