/** Schema channels: dry-run of a plan, its SQL script, and drift against the last snapshot. */
import type { HandlerMap, ServiceContext } from './handler-types';

/** Handlers of the schema domain. */
export function schemaHandlers({ deps, engine, profiles }: ServiceContext) {
  async function targetOf(profileId: string) {
    return profiles.targetFor(await profiles.require(profileId));
  }
  return {
    'migrations:dry-run': async ({ profileId, plan }) => engine.dryRun(await targetOf(profileId), plan),

    'migrations:sql': async ({ profileId, plan }) => ({ script: await engine.planSql(await targetOf(profileId), plan) }),

    'schema:drift': async ({ profileId }) => {
      const profile = await profiles.require(profileId);
      return engine.detectDrift({ dataDir: deps.dataDir, profile, target: await profiles.targetFor(profile) });
    },
  } satisfies HandlerMap;
}
