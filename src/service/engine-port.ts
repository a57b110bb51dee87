/**
 * What the service needs from the engine, as one injectable value: handlers call these and
 * nothing else, so tests can swap in fakes and the real adapter (`real-engine.ts`) is the one
 * place that knows the engine modules' exact signatures.
 */
import type {
  AppliedEvidence,
  RunEvidence,
  Backup,
  BackupMethod,
  CreatedMigration,
  DriftReport,
  DryRunResult,
  HistoryEntry,
  LockState,
  MigrationSettings,
  MigrationStatus,
  Operation,
  Plan,
  PlanRequest,
  Profile,
  ProgressEvent,
  RunOutcome,
  RunResult,
  TestConnectionResult,
  VerifyResult,
  LintResponse,
  VerifyRollbacksReport,
  StoredRollbackCheck,
  CompareReport,
  ErrorInfo,
  AdoptionState,
  BaselineResult,
  DesiredSource,
  GenerateResult,
} from '../shared/contract';
import type { ConnectionTarget } from '../engine/connection/connection-target';

/** An open connection to a profile's database; the engine decides what is inside. */
export interface DbHandle {
  close(): Promise<void>;
}

/** A migration file's text, for the detail view. */
export interface MigrationSource {
  name: string;
  path: string;
  source: string;
  language: 'typescript' | 'javascript';
}

/** Filters of the audit log. */
export interface HistoryFilter {
  operation?: Operation;
  outcome?: RunOutcome;
  limit?: number;
}

/** Where passwords are looked up by profile id: typed this session (wins), or the shell's keychain. */
export interface PasswordLookup {
  session(profileId: string): string | undefined;
  keychain?(profileId: string): Promise<string | undefined>;
}

/** Options of one plan execution. */
export interface ExecuteOptions {
  onProgress(event: ProgressEvent): void;
  signal: AbortSignal;
  /** Runs once the plan is confirmed fresh, before the first migration (the pre-migration backup). */
  beforeRun?: (plan: Plan) => Promise<{ backupId: string } | null>;
}

/** Where backups live and which profile they belong to. */
export interface BackupScope {
  dataDir: string;
  profile: Profile;
  target: ConnectionTarget;
  onProgress?: (message: string) => void;
}

export interface EnginePort {
  // connections and profiles
  testConnection(target: ConnectionTarget, options: { timeoutMs: number }): Promise<TestConnectionResult>;
  resolveTarget(profile: Profile, passwords: PasswordLookup): Promise<ConnectionTarget>;
  /** The database name a production confirmation must match. */
  databaseNameOf(target: ConnectionTarget): string;
  listProfiles(dataDir: string): Promise<Profile[]>;
  getProfile(dataDir: string, id: string): Promise<Profile | undefined>;
  saveProfile(dataDir: string, profile: Profile): Promise<Profile>;
  deleteProfile(dataDir: string, id: string): Promise<boolean>;
  embeddedDemoProfile(dataDir: string, migrationsDir: string): Profile;
  /** The profiles a project folder's knexfile describes (one per environment), not yet saved. */
  openProject(folder: string): Promise<Profile[]>;

  // migrations
  openDatabase(target: ConnectionTarget, options: { operation: string }): Promise<DbHandle>;
  /** A session for reads only (status): on a server, a bare connection instead of Knex's pool. */
  openReadSession(target: ConnectionTarget, options: { operation: string }): Promise<DbHandle>;
  getStatus(db: DbHandle): Promise<MigrationStatus>;
  /** The migration files' names in Knex's order, from the folders alone. */
  listMigrationFiles(settings: MigrationSettings): Promise<string[]>;
  makePlan(db: DbHandle, request: PlanRequest): Promise<Plan>;
  executePlan(db: DbHandle, plan: Plan, options: ExecuteOptions): Promise<RunResult>;
  listHistory(db: DbHandle, filter: HistoryFilter): Promise<HistoryEntry[]>;
  /** A run's kept evidence (SQL, sources, log, schema change), by history entry. */
  runEvidence(db: DbHandle, historyId: number): Promise<RunEvidence | null>;
  /** The evidence of the latest run that applied `name`. */
  appliedEvidence(db: DbHandle, name: string): Promise<AppliedEvidence | null>;
  releaseLock(db: DbHandle, options: { force: boolean }): Promise<LockState>;
  createMigration(settings: MigrationSettings, name: string, options: { language: 'ts' | 'js' }): Promise<CreatedMigration>;
  readMigrationSource(settings: MigrationSettings, name: string): Promise<MigrationSource>;
  /** Watch the migration folders; `onChange` gets the file names touched (debounced). */
  watchMigrations(settings: MigrationSettings, onChange: (names: string[]) => void): { folders: string[]; close(): void };

  // backups
  listBackups(scope: BackupScope): Promise<Backup[]>;
  /** A manual backup (recorded in the history). */
  takeBackup(scope: BackupScope, options: { method?: BackupMethod }): Promise<Backup>;
  /**
   * The pre-run backup hook the backup policy asks for: undefined when none is due (turned off,
   * embedded); BACKUP_REQUIRED when skipping it on production.
   */
  backupBeforeRun(scope: BackupScope, options: { skip: boolean }): ExecuteOptions['beforeRun'];
  restoreBackup(scope: BackupScope, backupId: string, options: { intoDatabase?: string }): Promise<{ database: string; head: string | null; durationMs: number }>;
  verifyBackup(scope: BackupScope, backupId: string): Promise<VerifyResult>;
  deleteBackup(scope: BackupScope, backupId: string): Promise<boolean>;

  // schema
  /** Run the plan and roll it back (or preview it on a scratch copy): SQL and schema change per migration. */
  dryRun(db: DbHandle, plan: Plan): Promise<DryRunResult>;
  /** The plan's SQL as one reviewable script. */
  planSql(db: DbHandle, plan: Plan): Promise<string>;
  /** The live schema against the snapshot recorded after the last Stepstone run. */
  detectDrift(db: DbHandle): Promise<DriftReport>;

  // adoption and generated migrations (shadow databases)
  /** Tables no migration created and migrations applied. */
  adoptionState(db: DbHandle): Promise<AdoptionState>;
  /** Baseline of the database: verified on a shadow; written and stamped unless `preview`. */
  baseline(db: DbHandle, options: { name?: string; force?: boolean; preview: boolean }): Promise<BaselineResult>;
  /** A migration from schema changes, verified on a shadow and not written (status `preview`, or `not-written`/`no-changes`). */
  previewMigration(db: DbHandle, request: { name: string; source: DesiredSource; renames: string[]; force?: boolean }): Promise<GenerateResult>;
  /** Write a previewed migration exactly as it was shown. */
  writePreviewedMigration(preview: GenerateResult): Promise<GenerateResult>;

  // safety: lint, rollback checks, environments
  /** Lint `plan`, or every pending migration when none is given (no promotion guard: lint only looks). */
  lint(db: DbHandle, plan: Plan | undefined): Promise<LintResponse>;
  /** The rollback stairway on a shadow database; the results are kept in `dataDir` for the timeline. */
  verifyRollbacks(target: ConnectionTarget, dataDir: string): Promise<VerifyRollbacksReport>;
  readRollbackChecks(dataDir: string, settings: MigrationSettings): Promise<Record<string, StoredRollbackCheck>>;
  /** Two databases side by side; a side given as an error is shown as unreachable. */
  compareEnvironments(left: { label: string; target: ConnectionTarget | ErrorInfo }, right: { label: string; target: ConnectionTarget | ErrorInfo }): Promise<CompareReport>;
}
