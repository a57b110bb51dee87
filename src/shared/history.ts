/**
 * Stepstone's audit log: the operations it records, a row of the log, and an operation whose row
 * was never completed. Zod schemas plus their inferred types.
 */
import { z } from 'zod';
import { ErrorInfo } from './error-info';
import { Plan } from './plan';
import { RunOutcome, StepResult } from './run';

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
