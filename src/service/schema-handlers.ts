/** Schema channels: dry-run of a plan, its SQL script, and drift against the last snapshot. */
import type { HandlerMap, ServiceContext } from './handler-types';

/** Handlers of the schema domain. */
export function schemaHandlers({ engine, profiles }: ServiceContext) {
  return {
    'migrations:dry-run': async ({ profileId, plan }) => profiles.withDatabase(profileId, 'dry-run', (db) => engine.dryRun(db, plan)),

    'migrations:sql': async ({ profileId, plan }) => ({ script: await profiles.withDatabase(profileId, 'dry-run', (db) => engine.planSql(db, plan)) }),

    'schema:drift': async ({ profileId }) => profiles.withDatabase(profileId, 'drift', (db) => engine.detectDrift(db)),
  } satisfies HandlerMap;
}
