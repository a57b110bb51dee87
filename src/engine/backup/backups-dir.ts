/**
 * Where backups live, with nothing else: the status (which looks for partial backup files) needs
 * the folder's path, not the catalogue's zod schemas (building them cost ~0.1 s of every status).
 */
import { join } from 'node:path';

/** `<dataDir>/backups` unless configured. */
export function backupsDirOf(dataDir: string, backupsDir?: string): string {
  return backupsDir ?? join(dataDir, 'backups');
}
