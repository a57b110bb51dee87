/**
 * Lists migration files exactly as Knex's FsMigrations does: every configured folder read,
 * filtered by extension, sorted by file name (or per folder with `sortDirsSeparately`).
 * The ledger name is the bare file name, as Knex records it.
 */
import { readdir, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import type { MigrationSettings } from '../../shared/profile';
import { StepstoneError } from '../errors';

/** Knex's default `loadExtensions`; a folder knex accepts must list the same files here. */
export const KNEX_LOAD_EXTENSIONS = ['.co', '.coffee', '.eg', '.iced', '.js', '.cjs', '.litcoffee', '.ls', '.ts'];

/** Knex's order of file names (lodash `sortBy`): plain UTF-16 code units, not the locale's collation. */
export function compareMigrationNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The head of a set of applied migrations: the one last in Knex's order (as `knex migrate:currentVersion` sees it). */
export function headOf(names: Iterable<string>): string | null {
  let head: string | null = null;
  for (const name of names) if (head === null || compareMigrationNames(name, head) > 0) head = name;
  return head;
}

/** A migration file's place on disk (its bytes are read only when needed). */
export interface MigrationEntry {
  name: string;
  directory: string;
  path: string;
}

async function readFolder(directory: string): Promise<string[]> {
  try {
    const info = await stat(directory);
    if (!info.isDirectory()) {
      throw new StepstoneError('MIGRATIONS_DIR_MISSING', `The migrations folder ${directory} is not a folder.`, {
        hint: 'Point the profile (or --migrations) at the folder that holds the migration files.',
      });
    }
    return await readdir(directory);
  } catch (error) {
    if (error instanceof StepstoneError) throw error;
    throw new StepstoneError('MIGRATIONS_DIR_MISSING', `The migrations folder ${directory} does not exist or cannot be read.`, {
      hint: 'Create it (stepstone init) or point the profile (or --migrations) at the folder that holds the migration files.',
      cause: error,
    });
  }
}

/** All migration files in Knex's run order. An empty result is allowed here; callers decide. */
export async function listMigrationFiles(settings: MigrationSettings): Promise<MigrationEntry[]> {
  const extensions = new Set(settings.loadExtensions ?? KNEX_LOAD_EXTENSIONS);
  const isMigration = (file: string) => extensions.has(extname(file)) && !file.endsWith('.d.ts');
  const folders = await Promise.all(
    settings.directories.map(async (dir) => {
      const directory = resolve(dir);
      // Filtered before sorting (same order, fewer items); a plain sort() of strings compares UTF-16
      // code units exactly as compareMigrationNames does, without a comparator call per pair.
      const files = (await readFolder(directory)).filter(isMigration);
      return { directory, files: settings.sortDirsSeparately || settings.directories.length === 1 ? files.sort() : files };
    }),
  );
  // readdir gives bare names and `directory` is resolved: plain concatenation is the joined path
  // (path.join would normalise each of thousands of paths again).
  let entries: MigrationEntry[] = [];
  for (const { directory, files } of folders) {
    const prefix = directory.endsWith(sep) ? directory : directory + sep;
    for (const file of files) entries.push({ name: file, directory, path: prefix + file });
  }
  if (!settings.sortDirsSeparately && folders.length > 1) entries = entries.sort((a, b) => compareMigrationNames(a.name, b.name));
  const seen = new Map<string, string>();
  for (const e of entries) {
    const other = seen.get(e.name);
    if (other) {
      throw new StepstoneError('CONFIG_INVALID', `Two migration files share the name ${e.name} (in ${other} and ${e.directory}).`, {
        hint: 'Knex records migrations by file name: rename one of them before migrating.',
      });
    }
    seen.set(e.name, e.directory);
  }
  return entries;
}

/** `entries`, or MIGRATIONS_DIR_EMPTY naming the folders when there are none (for commands that need migrations). */
export function assertHasMigrations(entries: MigrationEntry[], settings: MigrationSettings): MigrationEntry[] {
  if (entries.length === 0) {
    throw new StepstoneError('MIGRATIONS_DIR_EMPTY', `No migration files in ${settings.directories.join(', ')}.`, {
      hint: 'Create one with `stepstone new <name>`, or check the folder and the file extensions (.ts, .js, .cjs).',
    });
  }
  return entries;
}
