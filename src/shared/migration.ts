/**
 * A migration as Stepstone sees it: its file, its row in Knex's ledger when applied, or pending;
 * and the direction it runs in. Zod schemas plus their inferred types.
 */
import { z } from 'zod';

/** Which way a migration runs: `up` applies it, `down` reverts it. */
export const Direction = z.enum(['up', 'down']);
export type Direction = z.infer<typeof Direction>;

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

/** A migration file created by `new`. */
export const CreatedMigration = z.object({ name: z.string(), path: z.string() });
export type CreatedMigration = z.infer<typeof CreatedMigration>;
