/** A database's migration status: applied, pending, drift, lock, and what was interrupted. Zod schema plus its inferred type. */
import { z } from 'zod';
import { InterruptedOperation } from './history';
import { InterruptedMigration } from './interrupted-migration';
import { LockState } from './lock';
import { AppliedMigration, PendingMigration } from './migration';

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
