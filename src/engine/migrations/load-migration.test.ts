import { describe, expect, it } from 'vitest';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { migrationsFolder } from '../../../test/targets';
import { listMigrationFiles } from './list-migration-files';
import { loadMigration } from './load-migration';

describe('loading migrations with no build step', () => {
  const dir = migrationsFolder({
    '20250101000000_typescript.ts': `import type { Knex } from 'knex';
import { tableName } from '../lib/names';
export const config = { transaction: false };
export async function up(knex: Knex): Promise<void> { await knex.raw('select ?', [tableName]); }
export async function down(knex: Knex): Promise<void> {}`,
    '20250102000000_commonjs.js': `const knexPackage = require('knex');
exports.up = async () => typeof knexPackage;
exports.down = async () => {};`,
    '20250103000000_esm.mjs': `export async function up() { return 'esm'; }
export async function down() {}`,
    '20250104000000_default.ts': `export default { up: async () => 'default', down: async () => {} };`,
    '20250105000000_esm_in.js': `export const up = async () => import.meta.url;
export const down = async () => {};`,
    'README.md': '# not a migration',
    'types.d.ts': 'export {};',
  });
  mkdirSync(join(dir, '..', 'lib'), { recursive: true });
  writeFileSync(join(dir, '..', 'lib', 'names.ts'), "export const tableName: string = 'users';\n");

  it("lists files as Knex does: its extensions only, sorted by name", async () => {
    const files = await listMigrationFiles({ directories: [dir], tableName: 'knex_migrations' });
    expect(files.map((f) => f.name)).toEqual(['20250101000000_typescript.ts', '20250102000000_commonjs.js', '20250104000000_default.ts', '20250105000000_esm_in.js']);
    const withMjs = await listMigrationFiles({ directories: [dir], tableName: 'knex_migrations', loadExtensions: ['.ts', '.js', '.mjs'] });
    expect(withMjs.map((f) => f.name)).toContain('20250103000000_esm.mjs');
  });

  it('loads TypeScript (with a relative import), CommonJS, ESM and default exports', async () => {
    const files = await listMigrationFiles({ directories: [dir], tableName: 'knex_migrations', loadExtensions: ['.ts', '.js', '.mjs'] });
    const byName = Object.fromEntries(await Promise.all(files.map(async (f) => [f.name, await loadMigration(f)] as const)));
    expect(byName['20250101000000_typescript.ts'].transactional).toBe(false);
    expect(byName['20250102000000_commonjs.js'].transactional).toBeUndefined();
    expect(await byName['20250102000000_commonjs.js'].up({} as never)).toBe('function');
    expect(await byName['20250103000000_esm.mjs'].up({} as never)).toBe('esm');
    expect(await byName['20250104000000_default.ts'].up({} as never)).toBe('default');
    expect(await byName['20250105000000_esm_in.js'].up({} as never)).toBe(pathToFileURL(join(dir, '20250105000000_esm_in.js')).href);
    const captured: unknown[] = [];
    await byName['20250101000000_typescript.ts'].up({ raw: (_sql: string, b: unknown[]) => captured.push(...b) } as never);
    expect(captured).toEqual(['users']);
  });
});
