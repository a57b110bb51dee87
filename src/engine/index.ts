/**
 * The engine's one door for the shells (CLI, service): `createEngine(context)` and the values and
 * types that cross it. `src/cli` and `src/service` import this module and `src/shared`, never an
 * engine module by path (test/engine-facade-boundary.test.ts fails when they do). Kept light: each
 * operation loads its modules when called, so importing this costs a CLI run almost nothing.
 */
export { createEngine, type Engine } from './create-engine';
export { createEngineContext, currentIdentity, type EngineContext, type Identity, type LogSink } from './engine-context';
export { StepstoneError, isStepstoneError, toErrorInfo, messageOf, type ErrorCode } from './errors';
export { resolveDataDir } from './data-folder';
export type { ConnectionTarget } from './connection/connection-target';
export type { SecretSource } from './profiles/resolve-target';
export type { OpenedProject } from './project/open-project';
export type { DbSession } from './facade/session';
export type { BackupPlace } from './facade/backup-place';
export type { HistoryFilter, RunOptions } from './facade/migrations';
export type { MigrationSource } from './facade/projects';
export type { RestoreOutcome } from './facade/backups';
export type { PlanScript } from './facade/schema';
export type { LintRuleInfo } from './facade/lint';
export type { NamedTarget } from './compare/compare-environments';
export type { RestoreDestination } from './backup/restore-destination';
export type { BaselineRequest } from './adopt/baseline';
export type { StampRequest } from './adopt/stamp';
export type { GenerateRequest } from './generate/generate-migration';
export type { CheckRequest } from './check/check-project';

// Plain renderings of engine values, for the shells' text output.
export { renderSchemaDiff, summarizeSchemaDiff } from './schema/render-schema-diff';
export { inlineBindings } from './dry-run/inline-bindings';
export { emptyRunResult } from './run/empty-run';
export { commandLinePasswordWarning } from './connection/command-line-password';
export { splitUrlPassword } from './connection/postgres-url';
