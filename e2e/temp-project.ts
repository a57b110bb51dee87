/**
 * Throwaway project folders for specs: a `migrations/` folder of small JavaScript migrations and,
 * optionally, a knexfile beside it. Never the repo's own `migrations/`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One migration file: its name and the bodies of `up` and `down` (async, `knex` in scope). */
export interface MigrationFile {
  name: string;
  up: string;
  down: string;
  /** `exports.config` as a JS expression, e.g. `{ transaction: false }`. */
  config?: string;
}

/** A temporary project: the folder, its migrations folder, and how to remove it. */
export interface TempProject {
  dir: string;
  migrations: string;
  cleanup(): void;
}

/** A migration that creates `table` with an id and the given extra column statements. */
export function createTableMigration(name: string, table: string, columns = ''): MigrationFile {
  return {
    name,
    up: `await knex.schema.createTable('${table}', (t) => { t.increments('id'); ${columns} });`,
    down: `await knex.schema.dropTable('${table}');`,
  };
}

/** Write `files` into a fresh `<tmp>/migrations`; `knexfile` is written verbatim as knexfile.js when given. */
export function makeProject(label: string, files: readonly MigrationFile[], knexfile?: string): TempProject {
  const dir = mkdtempSync(join(tmpdir(), `stepstone-e2e-${label}-`));
  const migrations = join(dir, 'migrations');
  mkdirSync(migrations);
  for (const f of files) {
    const config = f.config ? `exports.config = ${f.config};\n` : '';
    writeFileSync(join(migrations, f.name), `${config}exports.up = async (knex) => { ${f.up} };\nexports.down = async (knex) => { ${f.down} };\n`);
  }
  if (knexfile !== undefined) writeFileSync(join(dir, 'knexfile.js'), knexfile);
  return { dir, migrations, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
