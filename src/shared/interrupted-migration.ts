/**
 * A non-transactional migration that was interrupted (or failed part-way): what it left behind,
 * the repairs offered, and what a repair did. Zod schemas plus their inferred types.
 */
import { z } from 'zod';
import { Direction } from './migration';

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
