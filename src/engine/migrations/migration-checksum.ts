/** Checksums of migration files, so an applied file edited afterwards is noticed. */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';

/** sha256 of the file's text with line endings normalised (a CRLF checkout is not an edit). */
export function checksumOf(source: string): string {
  return createHash('sha256').update(source.replace(/\r\n/g, '\n')).digest('hex');
}

/** Read a file and return its text and checksum. */
export async function readWithChecksum(path: string): Promise<{ source: string; checksum: string }> {
  const source = await readFile(path, 'utf8');
  return { source, checksum: checksumOf(source) };
}
