/** Public API of shadow databases (baseline, stamp, generate, check, verify) and temporary databases. */
export { openShadowDatabase, withShadowDatabase, shadowUnavailableReason, type ShadowDatabase, type ShadowOptions } from './shadow-database';
export { applyMigrations, loadProjectMigrations, loadEntries, selectUpTo, type ApplyOptions } from './apply-migrations';
export {
  createTemporaryDatabase,
  temporaryDatabaseUnavailableReason,
  TemporaryDatabaseUnavailable,
  SHADOW_MARKER,
  type TemporaryDatabase,
  type TemporaryDatabaseOptions,
} from './temporary-database';
export { emptyDatabase, listUserObjects } from './empty-database';
export { InterruptCleanups } from './interrupt-cleanup';
