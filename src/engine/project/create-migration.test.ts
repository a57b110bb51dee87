// `new` writes a file the project can load: .js follows the package's module type (ESM or CommonJS).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createMigration } from './create-migration';

const root = mkdtempSync(join(tmpdir(), 'stepstone-new-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function folder(label: string, packageJson?: string): string {
  const dir = join(root, label);
  mkdirSync(join(dir, 'migrations'), { recursive: true });
  if (packageJson !== undefined) writeFileSync(join(dir, 'package.json'), packageJson);
  return join(dir, 'migrations');
}

describe('new in a JavaScript project', () => {
  it('writes export functions in a "type": "module" package and exports.up in a CommonJS one', async () => {
    const esm = await createMigration({ directories: [folder('esm', '{"type":"module"}')], tableName: 'knex_migrations', extension: 'js' }, 'add notes');
    expect(esm.name).toMatch(/_add_notes\.js$/);
    expect(readFileSync(esm.path, 'utf8')).toMatch(/^export async function up\(knex\)/m);
    const cjs = await createMigration({ directories: [folder('cjs', '{}')], tableName: 'knex_migrations', extension: 'js' }, 'add notes');
    expect(readFileSync(cjs.path, 'utf8')).toMatch(/^exports\.up = async function up\(knex\)/m);
    const bare = await createMigration({ directories: [folder('bare')], tableName: 'knex_migrations', extension: 'js' }, 'add notes');
    expect(readFileSync(bare.path, 'utf8')).toMatch(/^exports\.up = /m);
  });
});

describe('names that keep the order they were made in', () => {
  it('a second migration made in the same second (or with a clock behind the folder) sorts after the first', async () => {
    const dir = folder('same-second');
    const now = new Date(Date.UTC(2026, 10, 30, 10, 15, 8));
    const settings = { directories: [dir], tableName: "knex_migrations", extension: "js" };
    const baseline = await createMigration(settings, 'baseline', { language: 'js', now });
    const next = await createMigration(settings, 'add_phone', { language: 'js', now });
    const behind = await createMigration(settings, 'zzz_earlier_clock', { language: 'js', now: new Date(now.getTime() - 60_000) });
    expect(baseline.name.startsWith('20261130101508_')).toBe(true);
    expect(next.name.startsWith('20261130101509_')).toBe(true);
    expect(behind.name.startsWith('20261130101510_')).toBe(true);
    expect([behind.name, next.name, baseline.name].sort()).toEqual([baseline.name, next.name, behind.name]);
  });
});
