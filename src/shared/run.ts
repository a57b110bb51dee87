/**
 * An executing plan's progress and what the run did, step by step and as a whole.
 * Zod schemas plus their inferred types.
 */
import { z } from 'zod';
import { FINISHED_OUTCOMES, RUN_OUTCOMES } from './enums';
import { ErrorInfo } from './error-info';
import { Direction } from './migration';
import { Plan } from './plan';

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
export const FinishedOutcome = z.enum(FINISHED_OUTCOMES);
export type FinishedOutcome = z.infer<typeof FinishedOutcome>;

/**
 * A history row's outcome: how it ended, or `running` (a live session holds it) or
 * `interrupted` (it started, never ended, and no live session holds it: killed or cut off).
 */
export const RunOutcome = z.enum(RUN_OUTCOMES);
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
