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

/** A `*.partial` file in the backups folder: a backup being written, or one whose writer died. */
export const PartialBackupFile = z.object({
  file: z.string(),
  sizeBytes: z.number().int(),
  modifiedAt: z.string(),
  /** The process writing it, from its name; null for a file named before writers were recorded. */
  writer: z.object({ pid: z.number().int(), host: z.string() }).nullable(),
  /** No live writer: its process is gone on this host, or it has not changed for a day. */
  stale: z.boolean(),
});
export type PartialBackupFile = z.infer<typeof PartialBackupFile>;

/** A database Stepstone created for a while (a restore's new database, a dry run's scratch copy, a shadow, a verify copy). */
export const LeftoverDatabase = z.object({
  name: z.string(),
  /** What it was created for, from its marker comment ("restore", "dry run", "generate", "verify"…). */
  purpose: z.string(),
  pid: z.number().int().nullable(),
  host: z.string().nullable(),
  createdAt: z.string().nullable(),
  /** Its creator is gone (pid dead on this host) or it is older than a day: Stepstone drops it. */
  stale: z.boolean(),
});
export type LeftoverDatabase = z.infer<typeof LeftoverDatabase>;

/** What interrupted backups, restores and dry runs left, and what was cleaned just now. */
export const Leftovers = z.object({
  partialFiles: z.array(PartialBackupFile),
  /** Stale partial files removed by this call (0 for a read-only look, e.g. status). */
  removedPartialFiles: z.number().int(),
  databases: z.array(LeftoverDatabase),
  /** Stale databases dropped by this call. */
  droppedDatabases: z.array(z.string()),
});
export type Leftovers = z.infer<typeof Leftovers>;
