/**
 * Comparing two environments (e.g. staging and production).
 * Field names are a public contract (`stepstone compare --json`).
 */
import { z } from 'zod';
import { ErrorInfo } from './error-info';
import { LastRun } from './last-run';
import { SchemaDiff } from './schema';

export const ComparedMigration = z.object({
  name: z.string(),
  batch: z.number().int(),
  appliedAt: z.string(),
  /** Checksum Stepstone recorded when it applied the file; null when another tool applied it. */
  checksum: z.string().nullable(),
});
export type ComparedMigration = z.infer<typeof ComparedMigration>;

export const CompareSide = z.object({
  /** How it was named: the knexfile environment, the profile's name or the URL without its password. */
  label: z.string(),
  database: z.string().nullable(),
  reachable: z.boolean(),
  /** Why it could not be read, when unreachable. */
  error: ErrorInfo.nullable(),
  applied: z.array(ComparedMigration),
  head: z.string().nullable(),
  lastRun: LastRun.nullable(),
});
export type CompareSide = z.infer<typeof CompareSide>;

export const CompareReport = z.object({
  left: CompareSide,
  right: CompareSide,
  /** Applied on the left only, and on the right only (empty when a side is unreachable). */
  onlyLeft: z.array(z.string()),
  onlyRight: z.array(z.string()),
  /** Applied on both from different files (a file edited between the two runs). */
  checksumDifferences: z.array(z.object({ name: z.string(), left: z.string(), right: z.string() })),
  /** Schema difference from left to right; null when a side could not be read. */
  schemaDiff: SchemaDiff.nullable(),
  /** Both reachable and nothing differs. */
  same: z.boolean(),
});
export type CompareReport = z.infer<typeof CompareReport>;
