// The demo's migrations are copied into the data folder once, then left alone.
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureDemoMigrations } from './demo-migrations';

let home: string;
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'stepstone-demo-'));
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

it('copies the sample migrations on first use and keeps what the user added', async () => {
  const sample = join(process.cwd(), 'migrations');
  const folder = ensureDemoMigrations(sample, home);
  expect(folder).toBe(join(home, 'demo-migrations'));
  expect(await readdir(folder)).toEqual(await readdir(sample));
  await writeFile(join(folder, '29990101000000_mine.ts'), 'export async function up() {}\nexport async function down() {}\n');
  expect(ensureDemoMigrations(sample, home)).toBe(folder);
  expect(await readdir(folder)).toContain('29990101000000_mine.ts');
});
