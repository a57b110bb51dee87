/**
 * Rollback verification (the stairway): per migration, on a shadow database, up → down must give
 * back the schema before it, and up again the schema after it. Field names are a public contract.
 */
import { z } from 'zod';
import { ObjectKind } from './schema';

export const VerifyResultKind = z.enum(['ok', 'not-reversible', 'down-failed', 'up-failed', 're-up-failed']);
export type VerifyResultKind = z.infer<typeof VerifyResultKind>;

/** One object that differs: left behind by `down`, missing after it, or changed. */
export const VerifyDifference = z.object({
  kind: ObjectKind,
  /** Qualified name, e.g. "public.orders.note". */
  name: z.string(),
  change: z.enum(['left-behind', 'missing', 'changed']),
  /** What changed, for `changed`. */
  fields: z.array(z.string()).optional(),
});
export type VerifyDifference = z.infer<typeof VerifyDifference>;

export const RollbackCheck = z.object({
  /** The migration's file name (also as `name`). */
  migration: z.string(),
  name: z.string(),
  result: VerifyResultKind,
  /** "rollback verified", or what went wrong in words. */
  message: z.string(),
  differences: z.array(VerifyDifference),
  /** Checksum of the file that was verified (a later edit makes the result stale). */
  checksum: z.string(),
  durationMs: z.number(),
});
export type RollbackCheck = z.infer<typeof RollbackCheck>;

export const VerifyRollbacksReport = z.object({
  ok: z.boolean(),
  migrations: z.array(RollbackCheck),
  /** Migrations after a failed `up`: the stairway cannot climb past it. */
  notChecked: z.array(z.string()),
  /** Where it ran: the shadow database, in words. */
  shadow: z.string(),
  verifiedAt: z.string(),
  durationMs: z.number(),
});
export type VerifyRollbacksReport = z.infer<typeof VerifyRollbacksReport>;

/** A migration's latest rollback check as kept for the app (by `verify` from the CLI or the app). */
export const StoredRollbackCheck = RollbackCheck.extend({ verifiedAt: z.string() });
export type StoredRollbackCheck = z.infer<typeof StoredRollbackCheck>;
