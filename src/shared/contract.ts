/**
 * The one contract between the UI and the engine: every channel's request and response
 * schema, the events, and the Result wrapper. Electron IPC (src/main + src/preload) and
 * web mode (src/web) both implement it; the renderer only talks through `Client`.
 * Channels are `domain:verb`; events are past tense.
 */
import { z } from 'zod';
import { ErrorInfo } from './error-info';
import { HistoryEntry, Operation } from './history';
import { RepairAction, RepairResult } from './interrupted-migration';
import { LockState } from './lock';
import { CreatedMigration, PendingMigration } from './migration';
import { BackupDecision, Confirmation, Plan, PlanRequest } from './plan';
import { SslMode, Environment, Profile, TestConnectionResult } from './profile';
import { ProgressEvent, RunOutcome, RunResult } from './run';
import { MigrationStatus } from './status';
import { Backup, BackupMethod, Leftovers, VerifyResult } from './backup';
import { DriftReport, DryRunResult } from './schema';
import { LintReport } from './lint';
import { StoredRollbackCheck, VerifyRollbacksReport } from './verify';
import { CompareReport } from './compare';
import { AppliedEvidence, RunEvidence } from './evidence';
import { AdoptionState, BaselineResult, DesiredSource, GenerateResult } from './adopt';

export * from './error-info';
export * from './profile';
export * from './migration';
export * from './lock';
export * from './interrupted-migration';
export * from './last-run';
export * from './plan';
export * from './run';
export * from './history';
export * from './status';
export * from './backup';
export * from './schema';
export * from './lint';
export * from './verify';
export * from './compare';
export * from './evidence';
export * from './adopt';

/** A lint report with the dry run it came from (one dry run serves both). */
export const LintResponse = LintReport.extend({ dryRun: DryRunResult });
export type LintResponse = z.infer<typeof LintResponse>;

/** A profile as the renderer sees it: no secret, only whether one is available. */
export const ProfileView = Profile.extend({
  hasPassword: z.boolean(),
  builtIn: z.boolean(),
  /** The engine's backup decision for runs on this profile as saved, and why: the connection form shows it rather than guess the rule. */
  backup: BackupDecision,
  /** Where it connects, read by the engine from its URL or fields (null: the embedded demo, or a URL that does not parse). */
  endpoint: z.object({ host: z.string(), port: z.number().int(), database: z.string() }).nullable(),
});
export type ProfileView = z.infer<typeof ProfileView>;

/** What opening a project gave: its knexfile (null when the folder dialog was closed), the profiles saved, and what the user should know. */
export const OpenedProjectView = z.object({
  knexfile: z.string().nullable(),
  profiles: z.array(ProfileView),
  /** One plain sentence each: environments skipped (another client), unset variables, malformed URLs, ignored options. */
  warnings: z.array(z.string()),
});
export type OpenedProjectView = z.infer<typeof OpenedProjectView>;

const ById = z.object({ profileId: z.string().min(1) });

/** A generated migration kept by the service until it is written (`schema:write-migration` writes exactly it). */
export const GeneratePreview = GenerateResult.extend({ previewId: z.string().nullable() });
export type GeneratePreview = z.infer<typeof GeneratePreview>;
const RunId = z.string().min(1).max(100);

/**
 * The status as the app shows it: the engine's (with `interrupted`: non-transactional migrations a dead run
 * left half-done). `confirmation`: what a change to this database (restore, repair, baseline) asks of the
 * user, the engine's rule that the service enforces. What interrupted backups, restores and dry runs left
 * is asked on its own (`backups:leftovers`), after the timeline is shown: its own connection and file
 * scan held the status up.
 * Left out, as the window uses neither: each pending file's absolute path and the list of applied
 * migrations with no recorded checksum (each applied row says so). With 10,000 migrations they were
 * ~30% of the answer, which the server encodes and the window parses before its first rows.
 */
export const StatusView = MigrationStatus.omit({ unchecked: true }).extend({
  pending: z.array(PendingMigration.omit({ path: true })),
  confirmation: Confirmation,
});
export type StatusView = z.infer<typeof StatusView>;

/** The channels: request and response schemas. Requests are validated on arrival, always. */
export const contract = {
  /** Mode, version and the profile to open first. */
  'app:info': {
    request: z.object({}),
    response: z.object({
      mode: z.enum(['desktop', 'web']),
      version: z.string(),
      dataDir: z.string(),
      initialProfileId: z.string().nullable(),
      canPickFolders: z.boolean(),
      canOpenEditor: z.boolean(),
      /** The shell can show a file in the system's file manager (desktop). */
      canShowInFolder: z.boolean().optional(),
    }),
  },
  /** Saved profiles plus the embedded demo. */
  'profiles:list': { request: z.object({}), response: z.array(ProfileView) },
  /** Create or update a profile; a password, when given, goes to the shell's secret store. */
  'profiles:save': {
    request: z.object({ profile: Profile, password: z.string().max(1000).optional() }),
    response: ProfileView,
  },
  'profiles:delete': { request: ById, response: z.object({ deleted: z.boolean() }) },
  /** A postgres:// URL's fields as the engine reads it (pg's parser; a Unix socket's folder as host), for the connection form; URL_MALFORMED says what is wrong. */
  'profiles:parse-url': {
    request: z.object({ url: z.string().min(1).max(10_000) }),
    response: z.object({ host: z.string(), port: z.number().int(), user: z.string(), password: z.string().optional(), database: z.string(), sslMode: SslMode }),
  },
  /** Test a saved profile, or an unsaved one with an optional password. */
  'profiles:test': {
    request: z.union([ById, z.object({ profile: Profile, password: z.string().max(1000).optional() })]),
    response: TestConnectionResult,
  },
  /** Give a password for this session only (web mode's prompt). */
  'profiles:provide-password': {
    request: z.object({ profileId: z.string().min(1), password: z.string().max(1000) }),
    response: z.object({ ok: z.boolean() }),
  },
  /** Read a project folder's knexfile; each environment becomes a saved profile. */
  'projects:open': {
    request: z.object({ folder: z.string().min(1).optional() }),
    response: OpenedProjectView,
  },
  /** Read-only status: applied, pending, missing, edited, out of order, lock, interrupted migrations and leftovers. */
  'migrations:status': { request: ById, response: StatusView },
  /**
   * Repair an interrupted non-transactional migration as the user chose: `retry` drops what it left (an invalid
   * index) so the next run runs it again, `complete` records it as applied (rolled back, for a rollback) when its
   * objects are complete. Refused (REPAIR_UNAVAILABLE, nothing changed) when the state does not allow the choice;
   * recorded in the history. Production: the database name typed.
   */
  'migrations:repair': {
    request: z.object({
      profileId: z.string().min(1),
      name: z.string().min(1).max(300),
      action: RepairAction,
      confirmation: z.string().max(200).optional(),
    }),
    response: RepairResult,
  },
  /**
   * The profile's migration files in Knex's order, read from the folder alone (no database): the
   * timeline lists them at once while the database (an embedded one may take seconds to start)
   * is read for the status.
   */
  'migrations:files': { request: ById, response: z.object({ files: z.array(z.object({ name: z.string() })) }) },
  /** Compute an upgrade or rollback plan without running it. */
  'migrations:plan': { request: z.object({ profileId: z.string().min(1), request: PlanRequest }), response: Plan },
  /** Execute exactly this plan (refused if the database moved since). Progress arrives as `migrations:progressed`. */
  'migrations:execute': {
    request: z.object({
      profileId: z.string().min(1),
      plan: Plan,
      runId: RunId,
      /** Typed database name; required for production profiles. */
      confirmation: z.string().max(200).optional(),
      skipBackup: z.boolean().optional(),
    }),
    response: RunResult,
  },
  /**
   * Ask a running plan to stop (one-transaction mode rolls back; per-migration stops after the current one), or a
   * dry run or lint started with this runId (its statement is cancelled on the server, its transaction rolls back).
   */
  'migrations:cancel': { request: z.object({ runId: RunId }), response: z.object({ cancelling: z.boolean() }) },
  /** A migration's source file. */
  'migrations:source': {
    request: z.object({ profileId: z.string().min(1), name: z.string().min(1) }),
    response: z.object({ name: z.string(), path: z.string(), source: z.string(), language: z.enum(['typescript', 'javascript']) }),
  },
  /** Create a migration file from the template. */
  'migrations:create': {
    request: z.object({
      profileId: z.string().min(1),
      name: z.string().min(1).max(200),
      language: z.enum(['ts', 'js']).default('ts'),
    }),
    response: CreatedMigration,
  },
  /** Dry-run a plan and roll it back: SQL and schema change per migration. With a runId, `migrations:cancel` stops it (its statement cancelled on the server). */
  'migrations:dry-run': { request: z.object({ profileId: z.string().min(1), plan: Plan, runId: RunId.optional() }), response: DryRunResult },
  /** The SQL of a plan as a reviewable script. */
  'migrations:sql': { request: z.object({ profileId: z.string().min(1), plan: Plan }), response: z.object({ script: z.string() }) },
  /** Open a migration file in the user's editor (desktop only). */
  'migrations:open-in-editor': { request: z.object({ profileId: z.string().min(1), name: z.string().min(1) }), response: z.object({ opened: z.boolean() }) },
  /** Watch the profile's migration folders: changes arrive as `migrations:folder-changed` events. */
  'migrations:watch': { request: ById, response: z.object({ folders: z.array(z.string()) }) },
  /** The audit log, newest first. */
  'history:list': {
    request: z.object({
      profileId: z.string().min(1),
      operation: Operation.optional(),
      outcome: RunOutcome.optional(),
      limit: z.number().int().min(1).max(10000).optional(),
    }),
    response: z.array(HistoryEntry),
  },
  /** What a run kept: each migration's SQL and text as it ran, the log, the schema change (null when none was kept). */
  'history:evidence': { request: z.object({ profileId: z.string().min(1), historyId: z.number().int() }), response: RunEvidence.nullable() },
  /** The evidence of the run that applied this migration (the version applied now), or null. */
  'migrations:evidence': { request: z.object({ profileId: z.string().min(1), name: z.string().min(1) }), response: AppliedEvidence.nullable() },
  /** Free Knex's lock row: only a stale lock, unless forced. */
  'lock:release': { request: z.object({ profileId: z.string().min(1), force: z.boolean().optional() }), response: LockState },
  'backups:list': { request: ById, response: z.array(Backup) },
  'backups:create': {
    request: z.object({ profileId: z.string().min(1), method: BackupMethod.optional(), runId: RunId.optional() }),
    response: Backup,
  },
  'backups:restore': {
    request: z.object({
      profileId: z.string().min(1),
      backupId: z.string().min(1),
      /** A new database name to restore into; absent means into the profile's database (replacing it). */
      intoDatabase: z.string().min(1).max(63).optional(),
      confirmation: z.string().max(200).optional(),
      runId: RunId.optional(),
    }),
    response: z.object({ database: z.string(), head: z.string().nullable(), durationMs: z.number() }),
  },
  /** Restore into a scratch database and compare every table; progress arrives as `backups:progressed` when a runId is given. */
  'backups:verify': { request: z.object({ profileId: z.string().min(1), backupId: z.string().min(1), runId: RunId.optional() }), response: VerifyResult },
  /** Show the backup's file in the system's file manager (desktop only). */
  'backups:reveal': { request: z.object({ profileId: z.string().min(1), backupId: z.string().min(1) }), response: z.object({ shown: z.boolean() }) },
  'backups:delete': { request: z.object({ profileId: z.string().min(1), backupId: z.string().min(1) }), response: z.object({ deleted: z.boolean() }) },
  /**
   * Remove what interrupted backups, restores and dry runs left whose creator is gone: stale partial backup files
   * and marked databases on the server (a restore's new database that never completed). Answers what remains.
   */
  'backups:cleanup': { request: ById, response: Leftovers },
  /** A look at what interrupted backups, restores and dry runs left (nothing is removed: see `backups:cleanup`). */
  'backups:leftovers': { request: ById, response: Leftovers },
  /** Live schema against the snapshot recorded after the last Stepstone operation. */
  'schema:drift': { request: ById, response: DriftReport },
  /** Lint a plan (default: every pending migration): findings with locks, rewrites and live sizes, plus the dry run. */
  'migrations:lint': { request: z.object({ profileId: z.string().min(1), plan: Plan.optional(), runId: RunId.optional() }), response: LintResponse },
  /** Prove each migration's rollback on a shadow database (never the profile's database). */
  'migrations:verify-rollbacks': { request: ById, response: VerifyRollbacksReport },
  /** The latest rollback check of each migration of the profile's project, by name. */
  'migrations:rollback-checks': { request: ById, response: z.record(z.string(), StoredRollbackCheck) },
  /** Tables no migration created and migrations applied: whether the app offers "Adopt it…". */
  'schema:adoption': { request: ById, response: AdoptionState },
  /** Baseline: `preview` verifies on a shadow database and writes nothing; otherwise it writes the file and stamps it. */
  'schema:baseline': {
    request: z.object({
      profileId: z.string().min(1),
      name: z.string().min(1).max(200).optional(),
      force: z.boolean().optional(),
      preview: z.boolean(),
      /** Production: the database name typed. */
      confirmation: z.string().max(200).optional(),
    }),
    response: BaselineResult,
  },
  /** A migration from schema changes, verified on a shadow database; never written here (see schema:write-migration). */
  'schema:generate': {
    request: z.object({
      profileId: z.string().min(1),
      name: z.string().min(1).max(200),
      source: DesiredSource,
      renames: z.array(z.string().min(1).max(300)).max(200).default([]),
      /** Keep a file whose verification failed (its header lists the differences). */
      force: z.boolean().optional(),
    }),
    response: GeneratePreview,
  },
  /** Write a generated migration exactly as previewed. */
  'schema:write-migration': { request: z.object({ profileId: z.string().min(1), previewId: z.string().min(1).max(100) }), response: GenerateResult },
  /** Two profiles' databases side by side: applied sets, checksum differences, schema difference. */
  'environments:compare': {
    request: z.object({ leftProfileId: z.string().min(1), rightProfileId: z.string().min(1) }),
    response: CompareReport,
  },
} as const;

export type Channel = keyof typeof contract;
export type RequestOf<C extends Channel> = z.input<(typeof contract)[C]['request']>;
export type ParsedRequestOf<C extends Channel> = z.infer<(typeof contract)[C]['request']>;
export type ResponseOf<C extends Channel> = z.infer<(typeof contract)[C]['response']>;

/** Every call answers a Result: handlers never throw across the edge. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

/** Commands of the desktop menu (File, View) that the renderer carries out. */
export const MenuCommand = z.enum(['open-project', 'new-migration', 'view-timeline', 'view-history', 'view-backups']);
export type MenuCommand = z.infer<typeof MenuCommand>;

/** Events pushed from the engine to the UI. */
export const AppEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('migrations:progressed'), runId: z.string(), event: ProgressEvent }),
  z.object({ type: z.literal('backups:progressed'), runId: z.string(), message: z.string() }),
  /** A watched migrations folder changed (a file added, edited or removed); `names` may be empty when the OS did not say. */
  z.object({ type: z.literal('migrations:folder-changed'), profileId: z.string(), names: z.array(z.string()) }),
  /** A desktop menu command for the renderer to carry out. */
  z.object({ type: z.literal('app:menu-invoked'), command: MenuCommand }),
]);
export type AppEvent = z.infer<typeof AppEvent>;

/** What the renderer talks to: IPC on the desktop, HTTP + SSE in web mode. */
export interface Client {
  invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<Result<ResponseOf<C>>>;
  subscribe(listener: (event: AppEvent) => void): () => void;
}

/** Is this string one of the contract's channels? */
export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(contract, value);
}

/** Colour name for an environment; the UI always shows the word beside it. */
export const environmentColour: Record<Environment, 'grey' | 'blue' | 'amber' | 'red'> = {
  local: 'grey',
  development: 'blue',
  staging: 'amber',
  production: 'red',
};
