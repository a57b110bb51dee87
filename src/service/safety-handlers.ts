/**
 * Safety channels: lint of a plan (or of the pending migrations), the rollback stairway on a
 * shadow database with its kept results, and two environments compared side by side.
 */
import { toErrorInfo } from '../engine/errors';
import type { ConnectionTarget } from '../engine/connection/connection-target';
import type { ErrorInfo } from '../shared/contract';
import type { HandlerMap, ServiceContext } from './handler-types';

/** Handlers of the safety domain. */
export function safetyHandlers({ deps, engine, profiles }: ServiceContext) {
  /** A profile's target, or why it has none (no password, unset knexfile variable): a side to explain, not a failure. */
  async function sideOf(profileId: string): Promise<{ label: string; target: ConnectionTarget | ErrorInfo }> {
    const profile = await profiles.require(profileId);
    try {
      return { label: profile.name, target: await profiles.targetFor(profile) };
    } catch (error) {
      return { label: profile.name, target: toErrorInfo(error) };
    }
  }

  return {
    'migrations:lint': async ({ profileId, plan }) => profiles.withDatabase(profileId, 'lint', (db) => engine.lint(db, plan)),

    'migrations:verify-rollbacks': async ({ profileId }) => {
      const profile = await profiles.require(profileId);
      return engine.verifyRollbacks(await profiles.targetFor(profile), deps.dataDir);
    },

    'migrations:rollback-checks': async ({ profileId }) => {
      const profile = await profiles.require(profileId);
      return engine.readRollbackChecks(deps.dataDir, profile.migrations);
    },

    'environments:compare': async ({ leftProfileId, rightProfileId }) => engine.compareEnvironments(await sideOf(leftProfileId), await sideOf(rightProfileId)),
  } satisfies HandlerMap;
}
