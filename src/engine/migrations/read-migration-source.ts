/** A migration's source text for the detail pane. */
import { extname } from 'node:path';
import type { MigrationSettings } from '../../shared/profile';
import { StepstoneError } from '../errors';
import { listMigrationFiles } from './list-migration-files';
import { readWithChecksum } from './migration-checksum';

export async function readMigrationSource(settings: MigrationSettings, name: string) {
  const file = (await listMigrationFiles(settings)).find((f) => f.name === name);
  if (!file) {
    throw new StepstoneError('MIGRATION_NOT_FOUND', `No file named ${name} in the migrations folder.`, { hint: 'It may have been deleted or renamed.' });
  }
  const { source, checksum } = await readWithChecksum(file.path);
  const language: 'typescript' | 'javascript' = ['.ts', '.mts', '.cts', '.tsx'].includes(extname(name)) ? 'typescript' : 'javascript';
  return { name, path: file.path, source, checksum, language };
}
