/** `history:list`: Stepstone's audit log, newest first. */
import type { HandlerMap, ServiceContext } from './handler-types';

/** Handlers of the history domain. */
export function historyHandlers({ engine, profiles }: ServiceContext) {
  return {
    'history:list': async ({ profileId, operation, outcome, limit }) =>
      profiles.withDatabase(profileId, 'history', (db) => engine.listHistory(db, { operation, outcome, limit })),
  } satisfies HandlerMap;
}
