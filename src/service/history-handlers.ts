/** `history:list`: Stepstone's audit log, newest first; `history:evidence` / `migrations:evidence`: what runs kept. */
import type { HandlerMap, ServiceContext } from './handler-types';

/** Handlers of the history domain. */
export function historyHandlers({ engine, profiles }: ServiceContext) {
  return {
    'history:list': async ({ profileId, operation, outcome, limit }) =>
      profiles.withDatabase(profileId, 'history', (db) => engine.listHistory(db, { operation, outcome, limit })),

    'history:evidence': async ({ profileId, historyId }) => profiles.withDatabase(profileId, 'history', (db) => engine.runEvidence(db, historyId)),

    'migrations:evidence': async ({ profileId, name }) => profiles.withDatabase(profileId, 'history', (db) => engine.appliedEvidence(db, name)),
  } satisfies HandlerMap;
}
