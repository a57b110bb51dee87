/** `lock:release`: free Knex's lock row (a stale one, or any when forced). */
import type { HandlerMap, ServiceContext } from './handler-types';

/** Handlers of the lock domain. */
export function lockHandlers({ engine, profiles }: ServiceContext) {
  return {
    'lock:release': async ({ profileId, force }) =>
      profiles.withDatabase(profileId, 'unlock', (db) => engine.releaseLock(db, { force: force ?? false })),
  } satisfies HandlerMap;
}
