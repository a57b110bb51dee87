/** Listing and deleting catalogued backups. */
import type { Backup } from '../../shared/backup';
import { backupsDirOf, deleteEntry, listCatalogue } from './backup-catalogue';

export interface CatalogueLocation {
  dataDir: string;
  backupsDir?: string;
}

/** Backups in the catalogue, newest first; optionally only one database's or one profile's. */
export async function listBackups(options: CatalogueLocation & { database?: string; profileId?: string }): Promise<Backup[]> {
  const all = await listCatalogue(backupsDirOf(options.dataDir, options.backupsDir));
  return all
    .filter((b) => (options.database === undefined || b.database === options.database) && (options.profileId === undefined || b.profileId === options.profileId))
    .reverse();
}

/** Deletes a backup's entry and file (the caller has asked the user first); returns what was deleted. */
export async function deleteBackup(backupId: string, options: CatalogueLocation): Promise<Backup> {
  return deleteEntry(backupsDirOf(options.dataDir, options.backupsDir), backupId);
}
