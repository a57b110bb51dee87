/**
 * Lint values (the safety issue): per-statement lock traces from the dry run, findings, and the
 * report `stepstone lint --json` prints. The finding's field names are a public contract.
 */
import { z } from 'zod';

/** A table as PostgreSQL names it. */
export const RelationName = z.object({ schema: z.string(), name: z.string() });
export type RelationName = z.infer<typeof RelationName>;

/** What the dry run learned about one captured statement besides its SQL. */
export const StatementTrace = z.object({
  /**
   * `traced`: locks read from pg_locks right after the statement, inside its transaction;
   * `untraced`: it ran outside a transaction (a non-transactional migration on the scratch copy), so its locks
   * were released before they could be read.
   */
  locks: z.enum(['traced', 'untraced']),
  /** Where it ran: inside the live database (rolled back) or on the scratch copy. */
  where: z.enum(['live', 'scratch']),
  /** Relation locks this backend newly held after the statement: table and PostgreSQL's mode name. */
  acquired: z.array(RelationName.extend({ mode: z.string() })),
  /** Tables whose relfilenode changed during the statement: PostgreSQL rewrote them. */
  rewritten: z.array(RelationName),
  /** Rows the statement reported (UPDATE/DELETE/INSERT), when it said. */
  rowCount: z.number().nullable(),
  durationMs: z.number().nullable(),
});
export type StatementTrace = z.infer<typeof StatementTrace>;

export const LintSeverity = z.enum(['error', 'warning', 'info']);
export type LintSeverity = z.infer<typeof LintSeverity>;

/** One finding. Field names are fixed: scripts read them. */
export const LintFinding = z.object({
  migration: z.string(),
  /** The statement (1-based index within its migration, and its SQL); null for findings about the whole file. */
  statement: z.object({ index: z.number().int(), text: z.string() }).nullable(),
  rule: z.string(),
  severity: LintSeverity,
  /** The table it is about, unqualified when in `public`; null when none. */
  table: z.string().nullable(),
  /** PostgreSQL's lock mode name, e.g. `AccessExclusiveLock`; null when none. */
  lock: z.string().nullable(),
  rewrite: z.boolean(),
  /** Estimated rows and total bytes of `table` in the live database; null for a table that does not exist there yet. */
  rows: z.number().nullable(),
  bytes: z.number().nullable(),
  message: z.string(),
  fix: z.string(),
  suppressed: z.boolean(),
  /** The reason given in the suppression comment, when suppressed. */
  reason: z.string().nullable(),
});
export type LintFinding = z.infer<typeof LintFinding>;

/** Sizes at or above which a blocking statement is an error (per profile). */
export const LintThresholds = z.object({
  rows: z.number().int().min(0).default(100_000),
  bytes: z.number().int().min(0).default(100 * 1024 * 1024),
});
export type LintThresholds = z.infer<typeof LintThresholds>;

/** A touched table's size as read once from the live database. */
export const TableSize = z.object({
  schema: z.string(),
  name: z.string(),
  rows: z.number(),
  bytes: z.number(),
  /**
   * `statistics`: pg_class.reltuples; never analyzed (reltuples -1): `counted` (a small table, counted exactly)
   * or `planner` (the planner's estimate from the table's pages).
   */
  rowsSource: z.enum(['statistics', 'counted', 'planner']),
});
export type TableSize = z.infer<typeof TableSize>;

export const LintReport = z.object({
  findings: z.array(LintFinding),
  /** The migrations checked, in plan order. */
  migrations: z.array(z.string()),
  /** Where the statements ran (the dry run's own words), and that sizes came from the live database. */
  where: z.enum(['live', 'scratch']),
  whereDetail: z.string(),
  thresholds: LintThresholds,
  tables: z.array(TableSize),
  errors: z.number().int(),
  warnings: z.number().int(),
  infos: z.number().int(),
  suppressed: z.number().int(),
  durationMs: z.number(),
});
export type LintReport = z.infer<typeof LintReport>;
