/** Checksums of migration files, so an applied file edited afterwards is noticed. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** sha256 of the file's text with line endings normalised (a CRLF checkout is not an edit). */
export function checksumOf(source: string): string {
  return createHash('sha256').update(source.replace(/\r\n/g, '\n')).digest('hex');
}

/** Read a file and return its text and checksum (synchronously: migration files are small and many). */
export async function readWithChecksum(path: string): Promise<{ source: string; checksum: string }> {
  const source = readFileSync(path, 'utf8');
  return { source, checksum: checksumOf(source) };
}

/** The checksum of a file read synchronously: for thousands of small files (status), far cheaper than the promise API's thread-pool round trips. */
export function checksumOfFileSync(path: string): string {
  return checksumOf(readFileSync(path, 'utf8'));
}
