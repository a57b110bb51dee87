/** Backup catalogue values (the backups issue). Owned by src/engine/backup. */
import { z } from 'zod';

export const BackupMethod = z.enum(['pg_dump', 'builtin']);
export type BackupMethod = z.infer<typeof BackupMethod>;

export const TableFingerprint = z.object({ table: z.string(), rows: z.number().int(), hash: z.string() });
export type TableFingerprint = z.infer<typeof TableFingerprint>;

/** One entry of the catalogue. */
export const Backup = z.object({
  id: z.string(),
  file: z.string(),
  createdAt: z.string(),
  method: BackupMethod,
  database: z.string(),
  serverVersion: z.string(),
  /** Migration head at backup time. */
  head: z.string().nullable(),
  /** The operation it preceded ("upgrade", "rollback") or "manual". */
  operation: z.string(),
  /** For a backup taken before a run: what that run was to do (absent in older catalogue entries). */
  trigger: z
    .object({ operation: z.enum(['upgrade', 'rollback']), steps: z.number().int(), headBefore: z.string().nullable(), headAfter: z.string().nullable() })
    .optional(),
  sizeBytes: z.number().int(),
  /** sha256 of the backup file. */
  checksum: z.string(),
  profileId: z.string().nullable(),
  tables: z.array(TableFingerprint),
  /** What the method could not reproduce, shown before a restore relies on it. */
  unsupported: z.array(z.string()),
  durationMs: z.number(),
});
export type Backup = z.infer<typeof Backup>;

export const VerifyResult = z.object({
  ok: z.boolean(),
  tables: z.array(
    z.object({ table: z.string(), expectedRows: z.number(), actualRows: z.number().nullable(), expectedHash: z.string(), actualHash: z.string().nullable(), ok: z.boolean() }),
  ),
  message: z.string(),
});
export type VerifyResult = z.infer<typeof VerifyResult>;
