/**
 * What a run leaves as evidence (kept in Stepstone's own `stepstone_run_evidence` table): the SQL
 * each migration sent, the file's text as it ran, the run's log, and the schema change it made.
 */
import { z } from 'zod';
import { Direction } from './migration';
import { ProgressEvent, StepOutcome } from './run';
import { CapturedStatement, SchemaDiff } from './schema';

/** One migration of a run. */
export const StepEvidence = z.object({
  /** 0-based place in the plan. */
  position: z.number().int(),
  name: z.string(),
  direction: Direction,
  outcome: StepOutcome,
  /** The migration file's text when it ran; null when it could not be read. */
  source: z.string().nullable(),
  statements: z.array(CapturedStatement),
  /** Statements or text were cut to keep the record small (very large data migrations). */
  truncated: z.boolean(),
});
export type StepEvidence = z.infer<typeof StepEvidence>;

/** One progress event of the run, with when it happened. */
export const EvidenceLogEntry = z.object({ at: z.string(), event: ProgressEvent });
export type EvidenceLogEntry = z.infer<typeof EvidenceLogEntry>;

export const RunEvidence = z.object({
  historyId: z.number().int(),
  recordedAt: z.string(),
  steps: z.array(StepEvidence),
  log: z.array(EvidenceLogEntry),
  /** Schema after the previous recorded operation → after this run; null when there was nothing to compare with. */
  schemaChange: SchemaDiff.nullable(),
  /** What the schema change compares, in plain words. */
  schemaChangeNote: z.string(),
});
export type RunEvidence = z.infer<typeof RunEvidence>;

/** The evidence of the run that applied a migration (the latest one), for the detail pane. */
export const AppliedEvidence = z.object({
  run: RunEvidence,
  step: StepEvidence,
  startedAt: z.string(),
  operation: z.string(),
});
export type AppliedEvidence = z.infer<typeof AppliedEvidence>;
