/** Public API of backups: take, list, delete, restore and verify. */
export { takeBackup, type TakeBackupOptions, type PgToolSearchOptions } from './take-backup';
export { restoreBackup, checkBackupFile, type RestoreBackupOptions, type RestoreResult } from './restore-backup';
export { verifyBackup, type VerifyBackupOptions } from './verify-backup';
export { listBackups, deleteBackup, type CatalogueLocation } from './list-backups';
export { applyRetention, backupsDirOf, DEFAULT_RETENTION } from './backup-catalogue';
export { findPgTools, usualPgFolders, type PgTools, type PgToolsSearch, type FindPgToolsOptions } from './find-pg-dump';
