/**
 * Turns a migration file into the module Knex expects ({ up, down, config }), validating
 * its shape with a clear error for files that are not migrations.
 */
import { statSync } from 'node:fs';
import type { Knex } from 'knex';
import { type EngineCaches, createEngineCaches } from '../engine-context';
import { StepstoneError } from '../errors';
import { loadUserModule, unwrapDefault } from '../modules/load-user-module';
import type { MigrationEntry } from './list-migration-files';
import { readWithChecksum } from './migration-checksum';

export type MigrationFn = (knex: Knex) => unknown;

/** A loaded migration: its functions plus what Stepstone needs to plan with it. */
export interface LoadedMigration {
  name: string;
  path: string;
  checksum: string;
  /** The text that was loaded: what runs, kept as a run's evidence (the file may change afterwards). */
  source: string;
  up: MigrationFn;
  down: MigrationFn;
  /** False when the file exports `config = { transaction: false }`. */
  transactional: boolean | undefined;
}

/** Load (or reuse from the engine's memos, when the file is unchanged) one migration file. */
export async function loadMigration(entry: MigrationEntry, caches: EngineCaches = createEngineCaches()): Promise<LoadedMigration> {
  const info = statSync(entry.path);
  const known = caches.migrationsByPath.get(entry.path);
  if (known && known.size === info.size && known.mtimeMs === info.mtimeMs && known.loaded.name === entry.name) return known.loaded;
  const loaded = await readAndLoad(entry, caches.migrationsByContent);
  caches.migrationsByPath.set(entry.path, { size: info.size, mtimeMs: info.mtimeMs, loaded });
  return loaded;
}

async function readAndLoad(entry: MigrationEntry, cache: Map<string, LoadedMigration>): Promise<LoadedMigration> {
  const { source, checksum } = await readWithChecksum(entry.path);
  const key = `${entry.path}\0${checksum}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const exports = unwrapDefault(await loadUserModule(entry.path, source));
  const { up, down } = exports;
  if (typeof up !== 'function' || typeof down !== 'function') {
    const missing = [typeof up !== 'function' ? 'up' : null, typeof down !== 'function' ? 'down' : null].filter(Boolean).join(' and ');
    throw new StepstoneError('MIGRATION_INVALID', `${entry.name} is not a migration: it does not export ${missing} function${missing.includes(' and ') ? 's' : ''}.`, {
      hint: 'A Knex migration exports `up(knex)` and `down(knex)`. Move other files out of the migrations folder.',
      migration: entry.name,
    });
  }
  const config = exports.config as { transaction?: unknown } | undefined;
  const transactional = typeof config?.transaction === 'boolean' ? config.transaction : undefined;
  const loaded: LoadedMigration = { name: entry.name, path: entry.path, checksum, source, up: up as MigrationFn, down: down as MigrationFn, transactional };
  cache.set(key, loaded);
  return loaded;
}
