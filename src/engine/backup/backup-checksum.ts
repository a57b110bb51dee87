/**
 * Checking a backup file against its catalogue entry: its size (one stat) and its sha256 (the whole
 * file read). Both are checked before a restore replaces anything; a restore into a new database
 * reads the sha256 while it loads instead, and waits for the verdict before the database is marked
 * complete, so a damaged file never yields a completed restore (see restore-backup.ts).
 */
import { createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';
import type { Backup } from '../../shared/backup';
import { StepstoneError } from '../errors';
import { fileSize } from './backup-catalogue';

/** Read in 1 MiB pieces instead of 64 KiB: a sixteenth of the reads and callbacks for the same bytes. */
const READ_BYTES = 1024 * 1024;

/** sha256 and size of the file against the catalogue; BACKUP_CORRUPT (or BACKUP_NOT_FOUND) otherwise. */
export async function checkBackupFile(backup: Backup): Promise<void> {
  await checkBackupSize(backup);
  await checkBackupHash(backup);
}

/** The file exists and has the recorded size; BACKUP_NOT_FOUND or BACKUP_CORRUPT otherwise. */
export async function checkBackupSize(backup: Backup): Promise<void> {
  const size = await fileSize(backup.file);
  if (size === null) {
    throw new StepstoneError('BACKUP_NOT_FOUND', `The file of backup ${backup.id} is missing: ${backup.file}.`, { hint: 'It was moved or deleted; use another backup.' });
  }
  if (size !== backup.sizeBytes) throw damaged(backup, `is ${size} bytes instead of ${backup.sizeBytes}`);
}

/** The file's sha256 (and the number of bytes read) matches the catalogue's; BACKUP_CORRUPT otherwise. */
export async function checkBackupHash(backup: Backup): Promise<void> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(backup.file, { highWaterMark: READ_BYTES }) as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    hash.update(chunk);
  }
  if (bytes !== backup.sizeBytes) throw damaged(backup, `is ${bytes} bytes instead of ${backup.sizeBytes}`);
  if (hash.digest('hex') !== backup.checksum) throw damaged(backup, 'does not match its recorded checksum');
}

function damaged(backup: Backup, why: string): StepstoneError {
  return new StepstoneError('BACKUP_CORRUPT', `Backup ${backup.id} is damaged: its file ${why}. Nothing was changed.`, {
    hint: 'The file was truncated or altered after it was written; use another backup.',
  });
}
