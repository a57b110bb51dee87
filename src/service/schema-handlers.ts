/** Schema channels: dry-run of a plan, its SQL script, and drift against the last snapshot. */
import type { DryRunResult } from '../shared/contract';
import type { HandlerMap, ServiceContext } from './handler-types';
import { createSingleFlight } from './single-flight';
import { cancellable } from './run-registry';

/** Handlers of the schema domain. */
export function schemaHandlers({ engine, profiles, runs }: ServiceContext) {
  // The same plan asked again while its dry run is still going shares that run (the plan carries the applied fingerprint and checksums).
  const dryRuns = createSingleFlight<DryRunResult>();
  return {
    'migrations:dry-run': async ({ profileId, plan, runId }) => {
      // A dry run with an id can be cancelled like a run: it is not shared, so a cancel stops only the caller's.
      if (runId) return cancellable(runs, runId, (signal) => profiles.withDatabase(profileId, 'dry-run', (db) => engine.dryRun(db, plan, { signal })));
      return dryRuns.run(JSON.stringify([profileId, plan]), () => profiles.withDatabase(profileId, 'dry-run', (db) => engine.dryRun(db, plan)));
    },

    'migrations:sql': async ({ profileId, plan }) => {
      const { script } = await profiles.withDatabase(profileId, 'dry-run', (db) => engine.planSql(db, plan));
      return { script };
    },

    'schema:drift': async ({ profileId }) => profiles.withDatabase(profileId, 'drift', (db) => engine.detectDrift(db)),
  } satisfies HandlerMap;
}
