/**
 * What the user asks for (upgrade, rollback) and the plan the engine computes from it, with what
 * running it takes: a backup decision, a confirmation, the promotion guard. Zod schemas plus their inferred types.
 */
import { z } from 'zod';
import { ErrorInfo } from './error-info';
import { LastRun } from './last-run';
import { Direction } from './migration';

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
