/**
 * Domain values that cross every edge (engine ⇄ service ⇄ renderer, CLI JSON).
 * Each is a zod schema plus its inferred type, so the same definition validates
 * IPC/HTTP payloads and types the engine. No runtime dependency beyond zod.
 */
import { z } from 'zod';
import { ENVIRONMENTS } from './enums';
import { ERROR_CODES } from './errors';

/** Environment tag of a profile; drives colour and safety rules (production is strict). */
export const Environment = z.enum(ENVIRONMENTS);
export type Environment = z.infer<typeof Environment>;

/** libpq-style SSL modes, plus `no-verify` (TLS without certificate checks). */
export const SslMode = z.enum(['disable', 'prefer', 'require', 'no-verify', 'verify-ca', 'verify-full']);
export type SslMode = z.infer<typeof SslMode>;

/** How a plan is wrapped in transactions. `knex`: one for the whole plan unless a migration opts out (Knex's default). */
export const TransactionMode = z.enum(['knex', 'per-migration']);
export type TransactionMode = z.infer<typeof TransactionMode>;

/** Where Knex keeps its ledger and where the migration files are. */
export const MigrationSettings = z.object({
  /** Absolute folders holding migration files (Knex accepts several). */
  directories: z.array(z.string().min(1)).min(1),
  tableName: z.string().min(1).default('knex_migrations'),
  schemaName: z.string().min(1).optional(),
  /** File extensions Knex would load; defaults to Knex's own list plus TypeScript/ESM variants. */
  loadExtensions: z.array(z.string()).optional(),
  sortDirsSeparately: z.boolean().optional(),
  /** The knexfile's `migrations.extension` (e.g. 'js'), else the knexfile's own extension as knex migrate:make takes it: what `new`, `baseline` and `generate` write when no language is asked for. */
  extension: z.string().min(1).optional(),
});
export type MigrationSettings = z.infer<typeof MigrationSettings>;

/** A saved connection. Never carries a password: secrets live in the shell's keychain or come from the environment. */
export const Profile = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  environment: Environment,
  kind: z.enum(['postgres', 'embedded']).default('postgres'),
  /** postgres:// URL without its password (fields below are used when absent). */
  url: z.string().optional(),
  host: z.string().optional(),
  port: z.number().int().min(1).max(65535).optional(),
  user: z.string().optional(),
  database: z.string().optional(),
  sslMode: SslMode.optional(),
  /** Where the password comes from when one is needed. */
  passwordSource: z.enum(['none', 'keychain', 'env', 'prompt', 'knexfile']).default('none'),
  /** Name of the environment variable holding the password, for `passwordSource: env`. */
  passwordEnv: z.string().optional(),
  migrations: MigrationSettings,
  transactionMode: TransactionMode.default('knex'),
  /** Take a backup before every upgrade and rollback (always on for production). */
  backupBeforeMigrate: z.boolean().default(true),
  readOnly: z.boolean().default(false),
  /** Table sizes at or above which lint reports a blocking statement as an error (default 100,000 rows or 100 MB). */
  lintThresholds: z.object({ rows: z.number().int().min(0).optional(), bytes: z.number().int().min(0).optional() }).optional(),
  /** Set when the profile came from a project's knexfile. */
  source: z.object({ knexfile: z.string(), env: z.string() }).optional(),
});
export type Profile = z.infer<typeof Profile>;
export type ProfileInput = z.input<typeof Profile>;

/** A migration file found in the profile's folders, in Knex's run order. */
export const MigrationFile = z.object({
  /** The name Knex records in its ledger: the file name with its extension. */
  name: z.string(),
  directory: z.string(),
  path: z.string(),
  /** sha256 of the file's bytes, hex. */
  checksum: z.string(),
});
export type MigrationFile = z.infer<typeof MigrationFile>;

/** A row of Knex's ledger, joined with what Stepstone knows of it. */
export const AppliedMigration = z.object({
  id: z.number().int(),
  name: z.string(),
  batch: z.number().int(),
  appliedAt: z.string(),
  /** Checksum recorded when Stepstone applied it; null when another tool applied it. */
  recordedChecksum: z.string().nullable(),
  /** Duration and who, from Stepstone's history when it applied it. */
  durationMs: z.number().nullable(),
  appliedBy: z.string().nullable(),
  missing: z.boolean(),
  edited: z.boolean(),
  /** Marked as applied by `baseline` or `stamp` without being run (absent from older servers' answers). */
  stamped: z.boolean().optional(),
});
export type AppliedMigration = z.infer<typeof AppliedMigration>;

export const PendingMigration = z.object({
  name: z.string(),
  path: z.string(),
  /** Older than the newest applied migration: it came from a merged branch. */
  outOfOrder: z.boolean(),
});
export type PendingMigration = z.infer<typeof PendingMigration>;

export const LockHolder = z.object({
  pid: z.number().int(),
  applicationName: z.string(),
  user: z.string().nullable(),
  clientAddress: z.string().nullable(),
  since: z.string().nullable(),
});
export type LockHolder = z.infer<typeof LockHolder>;

/**
 * Knex's lock row plus what the server says about who holds it, by `state`: `free`; `live`: a running
 * process holds it (its holders listed); `stale`: the row says locked but nobody holds it (a crash).
 * `locked` follows from the state (kept for `status --json` readers), never set on its own.
 */
export const LockState = z.discriminatedUnion('state', [
  z.object({ state: z.literal('free'), locked: z.literal(false), holders: z.tuple([]) }),
  z.object({ state: z.literal('live'), locked: z.literal(true), holders: z.array(LockHolder).min(1) }),
  z.object({ state: z.literal('stale'), locked: z.literal(true), holders: z.tuple([]) }),
]);
export type LockState = z.infer<typeof LockState>;

export const Direction = z.enum(['up', 'down']);
export type Direction = z.infer<typeof Direction>;

/** What a repair of an interrupted non-transactional migration does: `retry` clears its leftovers so the next run runs it again; `complete` records it as done. */
export const RepairAction = z.enum(['retry', 'complete']);
export type RepairAction = z.infer<typeof RepairAction>;

/** One repair offered for an interrupted migration: whether it can be done now, why (not), and the SQL it runs. */
export const RepairOption = z.object({
  action: RepairAction,
  /** Plain words, e.g. "Drop the invalid index public.things_name_idx, then upgrade runs the migration again". */
  label: z.string(),
  available: z.boolean(),
  /** Why it is or is not available. */
  reason: z.string(),
  /** Statements it runs on the database (besides Stepstone's own bookkeeping). */
  sql: z.array(z.string()),
});
export type RepairOption = z.infer<typeof RepairOption>;

/** A schema object a migration creates or drops, as found in the database now. */
export const ObjectFinding = z.object({
  kind: z.enum(['index', 'table', 'other']),
  /** schema.name */
  name: z.string(),
  /** Whether it exists now. */
  exists: z.boolean(),
  /** Indexes: false when PostgreSQL marks it invalid (pg_index.indisvalid), e.g. a CONCURRENTLY build that did not finish. */
  valid: z.boolean().nullable(),
});
export type ObjectFinding = z.infer<typeof ObjectFinding>;

/**
 * A non-transactional migration that started and never recorded its end (the process died or its
 * connection was cut), or failed part-way: what it left and how to repair it.
 */
export const InterruptedMigration = z.object({
  /** Stepstone's journal row. */
  id: z.number().int(),
  name: z.string(),
  direction: Direction,
  startedAt: z.string(),
  /** `interrupted`: no end was recorded and no live process runs it; `failed`: it ended with an error and left objects behind. */
  state: z.enum(['interrupted', 'failed']),
  /** Who ran it: `user@host pid N`. */
  by: z.string(),
  error: z.string().nullable(),
  /** A backend still runs its statement (the client died, the server carries on): wait for it or cancel it first. */
  stillRunning: z.object({ pid: z.number().int(), query: z.string() }).nullable(),
  /** What it creates (up) or drops (down), as found now; empty with `statementsKnown` false when its SQL could not be read. */
  objects: z.array(ObjectFinding),
  statementsKnown: z.boolean(),
  /** Every invalid index in the database's user schemas (schema.name), whoever left it. */
  invalidIndexes: z.array(z.string()),
  /** One paragraph: "interrupted during X: …". */
  summary: z.string(),
  repairs: z.array(RepairOption),
});
export type InterruptedMigration = z.infer<typeof InterruptedMigration>;

/** What `repair` did. */
export const RepairResult = z.object({
  name: z.string(),
  action: RepairAction,
  /** The statements it ran. */
  sql: z.array(z.string()),
  /** Plain words on the state it leaves and what to do next. */
  message: z.string(),
  historyId: z.number().int().nullable(),
});
export type RepairResult = z.infer<typeof RepairResult>;

export const Operation = z.enum(['upgrade', 'rollback', 'unlock', 'restore', 'backup', 'baseline', 'stamp', 'repair']);
export type Operation = z.infer<typeof Operation>;

/** An operation whose history row was started and never completed, and that no live session runs. */
export const InterruptedOperation = z.object({
  id: z.number().int(),
  operation: Operation,
  startedAt: z.string(),
  /** os user@host that started it. */
  by: z.string(),
  /** The migration it was running when it was cut off (null: before the first). */
  migration: z.string().nullable(),
});
export type InterruptedOperation = z.infer<typeof InterruptedOperation>;

export const MigrationStatus = z.object({
  applied: z.array(AppliedMigration),
  pending: z.array(PendingMigration),
  missing: z.array(z.string()),
  edited: z.array(z.string()),
  outOfOrder: z.array(z.string()),
  /** Applied by another tool: no checksum to compare. */
  unchecked: z.array(z.string()),
  lock: LockState,
  head: z.string().nullable(),
  lastBatch: z.number().int(),
  ledgerExists: z.boolean(),
  serverVersion: z.string(),
  database: z.string(),
  /** Non-transactional migrations interrupted (or failed part-way), with what they left and their repairs. */
  interrupted: z.array(InterruptedMigration).optional(),
  /** Operations (upgrade, rollback…) that started and were cut off: their history row was never completed. */
  interruptedOperations: z.array(InterruptedOperation).optional(),
});
export type MigrationStatus = z.infer<typeof MigrationStatus>;

/** What the user asked for; exclusive options are exclusive in the type. */
// A plain union: zod 4's discriminatedUnion throws on the repeated 'rollback' discriminator.
/** `to`: pending migrations up to and including it; `steps`: the next n pending (knex's migrate:up is 1); neither: all. */
export const UpgradeRequest = z.object({ kind: z.literal('upgrade'), to: z.string().optional(), steps: z.number().int().min(1).optional() });
/** A rollback's mode: the last batch, n steps, back to a migration (which stays applied), or all. */
export const RollbackRequest = z.discriminatedUnion('mode', [
  z.object({ kind: z.literal('rollback'), mode: z.literal('last-batch') }),
  z.object({ kind: z.literal('rollback'), mode: z.literal('steps'), steps: z.number().int().min(1) }),
  z.object({ kind: z.literal('rollback'), mode: z.literal('to'), to: z.string().min(1) }),
  z.object({ kind: z.literal('rollback'), mode: z.literal('all') }),
]);
export const PlanRequest = z.union([UpgradeRequest, ...RollbackRequest.options]);
export type PlanRequest = z.infer<typeof PlanRequest>;

export const PlanStep = z.object({
  name: z.string(),
  direction: Direction,
  /** Runs inside a transaction (false when the migration sets `config.transaction = false`). */
  transactional: z.boolean(),
  checksum: z.string(),
  /** For rollbacks: the batch it was applied in. */
  batch: z.number().int().nullable(),
});
export type PlanStep = z.infer<typeof PlanStep>;

/** The last upgrade or rollback Stepstone recorded on a database. */
export const LastRun = z.object({
  historyId: z.number().int(),
  operation: z.string(),
  outcome: z.string(),
  startedAt: z.string(),
  headAfter: z.string().nullable(),
});
export type LastRun = z.infer<typeof LastRun>;

/** Every code an error can carry (src/shared/errors.ts holds the list and the one maker of ErrorInfo). */
export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** A typed error as it crosses an edge: a code to switch on, the cause in words, what to do. */
export const ErrorInfo = z.object({
  code: ErrorCode,
  message: z.string(),
  hint: z.string().optional(),
  migration: z.string().optional(),
});
export type ErrorInfo = z.infer<typeof ErrorInfo>;

/** The promotion guard on a production upgrade: what the project's staging has not applied with the same file. */
export const PromotionCheck = z.object({
  staging: z.object({ label: z.string(), database: z.string().nullable(), lastRun: LastRun.nullable() }),
  /** Plan steps staging has not applied, applied from a different file, or applied by another tool (no checksum to compare). */
  missing: z.array(z.object({ name: z.string(), reason: z.enum(['not-applied', 'different-checksum', 'unknown-checksum']) })),
  /** Staging could not be read: why (nothing proven). */
  unreachable: ErrorInfo.nullable(),
  /** The project's `requireStaging`: then anything missing refuses the upgrade. */
  required: z.boolean(),
});
export type PromotionCheck = z.infer<typeof PromotionCheck>;

/** Whether a run backs up the database first, and why: decided by the engine, shown as is by every shell. */
export const BackupDecision = z.object({
  take: z.boolean(),
  /** Plain words, e.g. "Production: a backup is always taken first." */
  reason: z.string(),
});
export type BackupDecision = z.infer<typeof BackupDecision>;

/**
 * What a change to a database asks of the user before it runs, decided by the engine for every shell:
 * `typed-name`: the database's name typed exactly (production); `click`: the button alone.
 */
export const Confirmation = z.discriminatedUnion('kind', [z.object({ kind: z.literal('typed-name'), name: z.string() }), z.object({ kind: z.literal('click') })]);
export type Confirmation = z.infer<typeof Confirmation>;

const PlanFields = z.object({
  steps: z.array(PlanStep),
  /** `single`: all steps in one transaction; `per-migration`: each in its own (or none when it opts out). */
  transaction: z.enum(['single', 'per-migration']),
  /** The backup the run takes first (or why none): the engine's decision when planning. */
  backup: BackupDecision,
  /** What running it asks of the user (the engine's rule; the service enforces the same on execute). */
  confirmation: Confirmation,
  headBefore: z.string().nullable(),
  headAfter: z.string().nullable(),
  /** Names applied when the plan was made, to refuse execution if the database moved meanwhile. */
  appliedFingerprint: z.string(),
  warnings: z.array(z.string()),
  /** Production upgrades of a project with a staging environment: what staging has not run (see warnings). */
  promotion: PromotionCheck.nullable().optional(),
});

/**
 * A computed, confirmable operation, by direction: executing it runs exactly these steps or refuses.
 * An upgrade records its steps in a new batch; a rollback has none (null).
 */
export const Plan = z.discriminatedUnion('direction', [
  PlanFields.extend({ request: UpgradeRequest, direction: z.literal('up'), batch: z.number().int() }),
  PlanFields.extend({ request: RollbackRequest, direction: z.literal('down'), batch: z.null() }),
]);
export type Plan = z.infer<typeof Plan>;

/** Progress of an executing plan, one event per migration transition. */
export const ProgressEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('started'), name: z.string(), index: z.number().int(), total: z.number().int(), direction: Direction }),
  z.object({ type: z.literal('finished'), name: z.string(), index: z.number().int(), durationMs: z.number() }),
  z.object({ type: z.literal('failed'), name: z.string(), index: z.number().int(), durationMs: z.number(), message: z.string() }),
  /** The user's Cancel stopped this migration while it ran (its transaction rolled back). */
  z.object({ type: z.literal('cancelled'), name: z.string(), index: z.number().int(), durationMs: z.number() }),
  z.object({ type: z.literal('log'), level: z.enum(['info', 'warn', 'error']), message: z.string() }),
]);
export type ProgressEvent = z.infer<typeof ProgressEvent>;

/**
 * `cancelled`: stopped by the user's Cancel while it ran (not a failure of the migration);
 * `stamped`: recorded as applied by baseline or stamp without running it.
 */
export const StepOutcome = z.enum(['applied', 'reverted', 'failed', 'cancelled', 'rolled-back', 'skipped', 'stamped']);
export type StepOutcome = z.infer<typeof StepOutcome>;

export const StepResult = z.object({
  name: z.string(),
  direction: Direction,
  outcome: StepOutcome,
  durationMs: z.number().nullable(),
  error: z.string().nullable(),
});
export type StepResult = z.infer<typeof StepResult>;

/** How a run ended. */
export const FinishedOutcome = z.enum(['succeeded', 'failed', 'cancelled']);
export type FinishedOutcome = z.infer<typeof FinishedOutcome>;

/**
 * A history row's outcome: how it ended, or `running` (a live session holds it) or
 * `interrupted` (it started, never ended, and no live session holds it: killed or cut off).
 */
export const RunOutcome = z.enum([...FinishedOutcome.options, 'running', 'interrupted']);
export type RunOutcome = z.infer<typeof RunOutcome>;

const RunResultFields = z.object({
  plan: Plan,
  steps: z.array(StepResult),
  durationMs: z.number(),
  headAfter: z.string().nullable(),
  /** Plain words on what state remains, e.g. "Nothing applied — the database is as before." */
  stateAfter: z.string(),
  historyId: z.number().int().nullable(),
  backupId: z.string().nullable(),
});

/** What an executed plan did, and the state it left, by outcome: an error exactly when it failed or was cancelled. */
export const RunResult = z.discriminatedUnion('outcome', [
  RunResultFields.extend({ outcome: z.literal('succeeded'), error: z.null() }),
  RunResultFields.extend({ outcome: z.literal('failed'), error: ErrorInfo }),
  RunResultFields.extend({ outcome: z.literal('cancelled'), error: ErrorInfo }),
]);
export type RunResult = z.infer<typeof RunResult>;


/** One row of Stepstone's append-only audit log. */
export const HistoryEntry = z.object({
  id: z.number().int(),
  operation: Operation,
  outcome: RunOutcome,
  osUser: z.string(),
  host: z.string(),
  startedAt: z.string(),
  durationMs: z.number(),
  headBefore: z.string().nullable(),
  headAfter: z.string().nullable(),
  plan: Plan.nullable(),
  steps: z.array(StepResult),
  error: ErrorInfo.nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;

export const TestConnectionResult = z.object({
  serverVersion: z.string(),
  database: z.string(),
  user: z.string(),
  latencyMs: z.number(),
});
export type TestConnectionResult = z.infer<typeof TestConnectionResult>;

/** A migration file created by `new`. */
export const CreatedMigration = z.object({ name: z.string(), path: z.string() });
export type CreatedMigration = z.infer<typeof CreatedMigration>;
