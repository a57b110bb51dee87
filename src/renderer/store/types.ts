/** The app store's state and actions, split by concern; each slice file implements one part. */
import type {
  AppliedEvidence,
  RunEvidence,
  Backup,
  Leftovers,
  Client,
  CreatedMigration,
  DriftReport,
  DryRunMigration,
  DryRunResult,
  ErrorInfo,
  HistoryEntry,
  RepairAction,
  StatusView,
  Plan,
  PlanRequest,
  OpenedProjectView,
  ProfileInput,
  ProfileView,
  RequestOf,
  ResponseOf,
  Result,
  RunResult,
  TestConnectionResult,
  VerifyResult,
  LintResponse,
  StoredRollbackCheck,
  VerifyRollbacksReport,
  CompareReport,
  AdoptionState,
  BaselineResult,
  DesiredSource,
  GeneratePreview,
  GenerateResult,
} from '../../shared/contract';
import type { StoreApi } from 'zustand/vanilla';
import type { LatestAnswer } from './latest-answer';

export type View = 'timeline' | 'history' | 'backups' | 'environments';
export type AppInfo = ResponseOf<'app:info'>;
export type MigrationSource = ResponseOf<'migrations:source'>;

/** A value fetched on demand. */
export interface Loadable<T> {
  data: T | null;
  loading: boolean;
  error: ErrorInfo | null;
}

export interface ConnectionsSlice {
  info: AppInfo | null;
  /** Set when the app cannot start at all (app:info failed). */
  fatal: ErrorInfo | null;
  /** Web mode answered 401: the page was opened without its token. */
  unauthorised: boolean;
  profiles: ProfileView[];
  profilesError: ErrorInfo | null;
  activeProfileId: string | null;
  /** The profile whose status needs a password first (PASSWORD_REQUIRED). */
  passwordPromptFor: string | null;
  init(): Promise<void>;
  loadProfiles(): Promise<void>;
  openProfile(profileId: string): Promise<void>;
  saveProfile(profile: ProfileInput, password?: string): Promise<Result<ProfileView>>;
  deleteProfile(profileId: string): Promise<Result<{ deleted: boolean }>>;
  testProfile(request: RequestOf<'profiles:test'>): Promise<Result<TestConnectionResult>>;
  providePassword(profileId: string, password: string): Promise<ErrorInfo | null>;
  dismissPasswordPrompt(): void;
  /** Open a project folder (the shell's picker when none is given); its warnings land in `projectWarnings`. */
  openProject(folder?: string): Promise<Result<OpenedProjectView>>;
  /** What the last project opened needs the user to know (skipped environments, unset variables), until dismissed. */
  projectWarnings: { knexfile: string; warnings: string[] } | null;
  dismissProjectWarnings(): void;
  /** A pasted postgres:// URL's fields, read by the engine; URL_MALFORMED says what is wrong. */
  parseConnectionUrl(url: string): Promise<Result<ResponseOf<'profiles:parse-url'>>>;
  markUnauthorised(): void;
}

export interface StatusSlice {
  /** The status with its interrupted migrations. */
  status: StatusView | null;
  /** The folder's migration files, listed while the status is not in yet (an embedded database may take seconds to start). */
  listing: string[] | null;
  statusLoading: boolean;
  statusError: ErrorInfo | null;
  /** True once a profile's status has loaded (the app-ready signal for tests). */
  ready: boolean;
  drift: DriftReport | null;
  driftError: ErrorInfo | null;
  /** Whether a migration runs in a transaction, learned from plans and dry runs. */
  knownTransactional: Record<string, boolean>;
  /** When the status was last read successfully (ms since the epoch), for "checked 10 s ago". */
  statusCheckedAt: number | null;
  refreshStatus(): Promise<void>;
  /** Re-read everything about the active profile (the Refresh control). */
  refreshAll(): Promise<void>;
  /** A watched folder changed: forget cached sources and previews, re-read the status. */
  folderChanged(profileId: string, names: string[]): Promise<void>;
  /** List the migration files from the folder (no database), for the timeline until the status is in. */
  refreshListing(): Promise<void>;
  refreshDrift(): Promise<void>;
  releaseLock(force: boolean): Promise<ErrorInfo | null>;
  createMigration(name: string, language: 'ts' | 'js'): Promise<Result<CreatedMigration>>;
  openInEditor(name: string): Promise<ErrorInfo | null>;
  learnTransactional(entries: { name: string; transactional: boolean }[]): void;
}

export interface SelectionSlice {
  view: View;
  /** The last desktop menu command that opens a dialog; `seq` makes repeats distinct. */
  menuCommand: { command: 'open-project' | 'new-migration' | 'add-connection'; seq: number } | null;
  selectedName: string | null;
  /** Counts selections (also of the same row again): a narrow window opens the detail drawer on each. */
  selectionSeq: number;
  /** The connections list is folded away (narrow windows). */
  connectionsCollapsed: boolean;
  sources: Record<string, Loadable<MigrationSource>>;
  /** Dry-run preview of a pending migration (upgrade to it, its own statements and diff). */
  previews: Record<string, Loadable<DryRunMigration>>;
  /** What the run that applied a migration kept (its SQL, text, log, schema change); null data: nothing kept. */
  evidence: Record<string, Loadable<AppliedEvidence | null>>;
  setView(view: View): void;
  select(name: string | null): void;
  toggleConnections(): void;
  /** Ask the component that owns a dialog to open it (the welcome's buttons, like the desktop menu's). */
  requestCommand(command: 'open-project' | 'new-migration' | 'add-connection'): void;
  loadSource(name: string): Promise<void>;
  loadPreview(name: string): Promise<void>;
  loadEvidence(name: string): Promise<void>;
  /** The migration whose applied-vs-disk diff is open (the "edited" badge). */
  editedDiffFor: string | null;
  openEditedDiff(name: string): void;
  closeEditedDiff(): void;
}

export interface PlanDialogState {
  /** New each time the dialog opens (kept while its rollback mode changes): the dialog's inputs belong to one opening. */
  openingId: string;
  request: PlanRequest;
  plan: Plan | null;
  loading: boolean;
  error: ErrorInfo | null;
  dryRun: Loadable<DryRunResult>;
  /** The plan's lint (its dry run is the one above): findings join the dialog's gate. */
  lint: Loadable<LintResponse>;
  /** The run id the dry run (or lint) was started with: running the plan without waiting, or closing, cancels it. */
  dryRunId: string | null;
}

export type StepState = 'waiting' | 'running' | 'done' | 'failed' | 'cancelled' | 'rolled-back' | 'skipped';

export interface RunStep {
  name: string;
  direction: 'up' | 'down';
  state: StepState;
  durationMs: number | null;
  startedAt: number | null;
}

export interface LogLine {
  at: number;
  level: 'info' | 'warn' | 'error';
  message: string;
}

interface RunFields {
  runId: string;
  profileId: string;
  /** The database it runs on (the typed confirmation of a restore after it compares with this). */
  database: string;
  plan: Plan;
  steps: RunStep[];
  log: LogLine[];
  startedAt: number;
  /** The user pressed Cancel (kept after the run ends: a cancel that came too late is said so). */
  cancelRequested: boolean;
  restore: { running: boolean; error: ErrorInfo | null; done: string | null };
}

/** A run going on: no end, no result, no error yet. */
export interface RunningRun extends RunFields {
  running: true;
  cancelling: boolean;
  endedAt: null;
  result: null;
  error: null;
}

/** A run the engine finished (succeeded, failed or cancelled: see the result). */
export interface FinishedRun extends RunFields {
  running: false;
  cancelling: false;
  /** When the call returned (the result's duration is the engine's own). */
  endedAt: number;
  result: RunResult;
  error: null;
}

/** A run whose call itself failed (refused, stale plan, server down): no result. */
export interface RefusedRun extends RunFields {
  running: false;
  cancelling: false;
  endedAt: number;
  result: null;
  error: ErrorInfo;
}

/** The run in the store, by `running` and then by result or error. */
export type RunState = RunningRun | FinishedRun | RefusedRun;

export interface PlanSlice {
  planDialog: PlanDialogState | null;
  run: RunState | null;
  /** The running plan shows as a small docked panel instead of the dialog (the user browses meanwhile). */
  runDocked: boolean;
  dockRun(): void;
  undockRun(): void;
  openPlan(request: PlanRequest): Promise<void>;
  closePlan(): void;
  loadPlanDryRun(): Promise<void>;
  execute(confirmation?: string): Promise<void>;
  cancelRun(): Promise<void>;
  closeRun(): void;
  restoreAfterRun(confirmation?: string): Promise<void>;
}

export interface HistorySlice {
  history: HistoryEntry[];
  historyLoading: boolean;
  historyError: ErrorInfo | null;
  /** Runs' kept evidence by history id (it never changes once written). */
  runEvidence: Record<number, Loadable<RunEvidence | null>>;
  refreshHistory(): Promise<void>;
  loadRunEvidence(historyId: number): Promise<void>;
}

export interface BackupTask {
  runId: string;
  /** The connection it belongs to: its banner shows only there. */
  profileId: string;
  label: string;
  running: boolean;
  log: LogLine[];
  error: ErrorInfo | null;
  done: string | null;
}

export interface BackupsSlice {
  backups: Backup[];
  /** What interrupted backups, restores and dry runs left (null: not read yet, or unreadable). */
  leftovers: Leftovers | null;
  backupsLoading: boolean;
  backupsError: ErrorInfo | null;
  backupTask: BackupTask | null;
  verifications: Record<string, Loadable<VerifyResult>>;
  /** The latest progress line of each verification running (by backup id). */
  verifyProgress: Record<string, string>;
  /** Read the catalogue and the leftovers again. */
  refreshBackups(): Promise<void>;
  createBackup(): Promise<void>;
  /** Restore into the active database, or into a new one named `intoDatabase`. */
  restoreBackup(backupId: string, confirmation?: string, intoDatabase?: string): Promise<ErrorInfo | null>;
  verifyBackup(backupId: string): Promise<void>;
  /** Show the backup's file in the file manager (desktop). */
  revealBackup(backupId: string): Promise<ErrorInfo | null>;
  deleteBackup(backupId: string): Promise<ErrorInfo | null>;
  dismissBackupTask(): void;
}

export interface SafetySlice {
  /** The latest lint of the active profile's pending migrations (from the Checks tab or the plan dialog). */
  lint: Loadable<LintResponse> & { profileId: string | null };
  /** The latest rollback check of each migration, by name (shown on timeline rows). */
  rollbackChecks: Record<string, StoredRollbackCheck>;
  /** The "Test rollbacks…" dialog, when open. */
  rollbackTest: { running: boolean; report: VerifyRollbacksReport | null; error: ErrorInfo | null } | null;
  /** The Environments view's two profiles and their comparison. */
  comparison: { leftProfileId: string | null; rightProfileId: string | null; result: Loadable<CompareReport> };
  /** Lint every pending migration (again when `force`). */
  loadLint(force?: boolean): Promise<void>;
  /** Keep a lint the plan dialog made (it covers the pending migrations it planned). */
  adoptLint(report: LintResponse): void;
  loadRollbackChecks(): Promise<void>;
  openRollbackTest(): void;
  runRollbackTest(): Promise<void>;
  closeRollbackTest(): void;
  chooseComparison(leftProfileId: string | null, rightProfileId: string | null): void;
  runComparison(): Promise<void>;
}

/** "Adopt it…" (a baseline) and "New migration from changes…" (generate), each reviewed before anything is written. */
export interface AdoptSlice {
  /** Whether the active profile's database has tables no migration created. */
  adoption: { profileId: string; state: AdoptionState } | null;
  /** The adopt dialog: the baseline previewed on a shadow database, then written and stamped. */
  adopt: { running: boolean; result: BaselineResult | null; error: ErrorInfo | null } | null;
  /** The generate dialog: a migration previewed (verified, not written), then written as shown. */
  generator: {
    /** Where it opened from (the drift warning opens it on the live database's drift). */
    initialSource: DesiredSource | null;
    running: boolean;
    /** What the preview was asked with (the renames and force of the shown preview). */
    request: { name: string; source: DesiredSource; renames: string[]; force: boolean } | null;
    preview: GeneratePreview | null;
    written: GenerateResult | null;
    error: ErrorInfo | null;
  } | null;
  loadAdoption(): Promise<void>;
  openAdopt(): void;
  closeAdopt(): void;
  /** Verify a baseline named `name` on a shadow database; writes nothing. */
  previewBaseline(name: string): Promise<void>;
  /** Write and stamp the baseline (verified again); `force` when it could not be verified. */
  commitBaseline(name: string, options: { force: boolean; confirmation?: string }): Promise<boolean>;
  openGenerator(source?: DesiredSource): void;
  closeGenerator(): void;
  previewGenerate(request: { name: string; source: DesiredSource; renames: string[]; force?: boolean }): Promise<void>;
  /** Write the shown preview; the new migration is then pending on the timeline (and selected). */
  writeGenerated(): Promise<boolean>;
}

/** Repairs of interrupted non-transactional migrations, and the clean-up of what interrupted backups and restores left. */
export interface RepairSlice {
  /** The migration whose Repair dialog is open. */
  repairFor: string | null;
  /** What the last repair or clean-up did (shown until dismissed or the connection changes). */
  repairNotice: { profileId: string; message: string } | null;
  openRepair(name: string): void;
  closeRepair(): void;
  /** Repair `name` as chosen; the status and history are read again. Resolves to the error, or null when done. */
  repairMigration(name: string, action: RepairAction, confirmation?: string): Promise<ErrorInfo | null>;
  /** Remove the stale leftovers (partial files, databases of interrupted restores); the leftovers are read again. */
  cleanupLeftovers(): Promise<ErrorInfo | null>;
  dismissRepairNotice(): void;
}

export type AppState = ConnectionsSlice & StatusSlice & SelectionSlice & PlanSlice & HistorySlice & BackupsSlice & SafetySlice & AdoptSlice & RepairSlice;
export type AppStore = StoreApi<AppState>;

/** What every slice gets: the store's setter and getter, the client, and injected clocks/ids. */
export interface SliceContext {
  set: StoreApi<AppState>['setState'];
  get: () => AppState;
  client: Client;
  now: () => number;
  newId: () => string;
  /** A ticket per read: is this still the newest read of its kind when its answer comes? */
  latest: LatestAnswer;
}
