/**
 * Running a project's migrations on a shadow database, loaded exactly as the engine loads them
 * (every folder, Knex's order and extensions, TS/JS/ESM/CJS): each in its own transaction unless it
 * exports `config = { transaction: false }`. No ledger is written: the shadow only holds the schema.
 */
import type { Knex } from 'knex';
import type { Direction } from '../../shared/migration';
import type { MigrationSettings } from '../../shared/profile';
import { StepstoneError, messageOf } from '../errors';
import { listMigrationFiles, type MigrationEntry } from '../migrations/list-migration-files';
import { type LoadedMigration, loadMigration } from '../migrations/load-migration';

/** The project's migrations in Knex's run order, loaded; with `upTo`, only those up to and including it. */
export async function loadProjectMigrations(settings: MigrationSettings, upTo?: string): Promise<LoadedMigration[]> {
  const entries = await listMigrationFiles(settings);
  return loadEntries(selectUpTo(entries, upTo, settings));
}

/** Loads the given files (in the given order). */
export async function loadEntries(entries: readonly MigrationEntry[]): Promise<LoadedMigration[]> {
  const loaded: LoadedMigration[] = [];
  for (const entry of entries) loaded.push(await loadMigration(entry));
  return loaded;
}

/** The entries up to and including `upTo` (a full file name, or one without its extension). */
export function selectUpTo(entries: readonly MigrationEntry[], upTo: string | undefined, settings: MigrationSettings): MigrationEntry[] {
  if (upTo === undefined) return [...entries];
  const index = entries.findIndex((e) => e.name === upTo || e.name.replace(/\.[^.]+$/, '') === upTo);
  if (index < 0) {
    throw new StepstoneError('MIGRATION_NOT_FOUND', `There is no migration "${upTo}" in ${settings.directories.join(', ')}.`, {
      hint: 'Give a file name from the migrations folder (with or without its extension); `stepstone status` lists them.',
    });
  }
  return entries.slice(0, index + 1);
}

export interface ApplyOptions {
  /** Called before each migration runs. */
  onStep?: (name: string, direction: Direction) => void;
}

/**
 * Runs `migrations` in `direction` (`down` runs them in reverse order) on `knex`. A failure throws
 * MIGRATION_FAILED naming the migration and the shadow; earlier migrations stay applied.
 */
export async function applyMigrations(knex: Knex, migrations: readonly LoadedMigration[], direction: Direction, options: ApplyOptions = {}): Promise<void> {
  const ordered = direction === 'up' ? migrations : [...migrations].reverse();
  for (const migration of ordered) {
    options.onStep?.(migration.name, direction);
    try {
      if (migration.transactional === false) await migration[direction](knex);
      else await knex.transaction(async (trx) => migration[direction](trx));
    } catch (error) {
      throw new StepstoneError('MIGRATION_FAILED', `${migration.name} failed (${direction}) on the shadow database: ${messageOf(error)}`, {
        hint: 'Fix the migration (it would fail the same way on a real database), then try again.',
        migration: migration.name,
        cause: error,
      });
    }
  }
}
