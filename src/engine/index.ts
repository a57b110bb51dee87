/** The engine's public API: plain Node, no Electron. Used by the CLI, the service (desktop and web) and tests. */
export { StepstoneError, isStepstoneError, toErrorInfo, messageOf } from './errors';
export type { ErrorCode } from './errors';
export { resolveDataDir } from './data-folder';
export {
  type ConnectionTarget,
  applicationName,
  createKnex,
  databaseNameOf,
  describeTarget,
  parsePostgresUrl,
  pgConfigOf,
  redactUrl,
} from './connection/connection-target';
export { type Db, openDatabase, withDatabase } from './database/open-database';
export { assertHasMigrations, listMigrationFiles, type MigrationEntry } from './migrations/list-migration-files';
export { loadMigration, type LoadedMigration } from './migrations/load-migration';
export { readMigrationSource } from './migrations/read-migration-source';
export { getStatus } from './status/get-status';
export { makePlan, planFromStatus, resolveName } from './plan/make-plan';
export { executePlan, type ExecuteOptions } from './run/execute-plan';
export { listHistory, type HistoryFilter } from './history/history-log';
export { readLockState, releaseLock } from './lock/release-lock';
export { createMigration, initProject } from './project/create-migration';
export { dryRunPlan, type DryRunOptions } from './dry-run/dry-run-plan';
export { renderPlanSql, type PlanSqlContext } from './dry-run/render-plan-sql';
export { recordSchemaSnapshot, latestSchemaSnapshot, type RecordedSnapshot } from './drift/record-schema-snapshot';
export { detectDrift } from './drift/detect-drift';
export { baselineDatabase, type BaselineRequest } from './adopt/baseline';
export { stampMigrations, type StampRequest } from './adopt/stamp';
export { generateMigration, writePreviewedMigration, type GenerateRequest, type GenerateContext } from './generate/generate-migration';
export { checkProject, type CheckRequest } from './check/check-project';
export { openShadowDatabase, withShadowDatabase, type ShadowDatabase, type ShadowOptions } from './shadow';
