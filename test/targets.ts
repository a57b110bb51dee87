// Connection targets for tests: a transient profile on a test database.
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ConnectionTarget } from '../src/engine/connection/connection-target';
import type { Profile } from '../src/shared/profile';

export const SAMPLE_MIGRATIONS = resolve(__dirname, '..', 'migrations');

export function targetFor(url: string, directories: string[] = [SAMPLE_MIGRATIONS], overrides: Partial<Profile> = {}): ConnectionTarget {
  return {
    profile: {
      id: 'test',
      name: 'test',
      environment: 'development',
      kind: 'postgres',
      url,
      passwordSource: 'none',
      migrations: { directories, tableName: 'knex_migrations' },
      transactionMode: 'knex',
      backupBeforeMigrate: false,
      readOnly: false,
      ...overrides,
    },
  };
}

/** A temporary migrations folder holding the given files. */
export function migrationsFolder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'stepstone-migrations-'));
  mkdirSync(dir, { recursive: true });
  for (const [name, source] of Object.entries(files)) writeFileSync(join(dir, name), source);
  return dir;
}

/** A trivial migration creating (and dropping) a table. */
export function tableMigration(table: string, extra = ''): string {
  return `exports.up = (knex) => knex.schema.createTable('${table}', (t) => { t.increments(); ${extra} });
exports.down = (knex) => knex.schema.dropTable('${table}');
`;
}
