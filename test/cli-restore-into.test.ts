// `stepstone restore <id> --into <target>` (issue 10, defect 2): a database name or a URL on the same
// server; an existing database that holds anything is refused, named, unless --replace (which says
// what it drops and is confirmed like every other destructive command); never a URL-named database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, dropDatabase, query, serverUrl, urlFor, type TestDatabase } from './database';
import { migrationsFolder, tableMigration } from './targets';
import { runStepstone, type CliRun } from './run-cli';

const home = mkdtempSync(join(tmpdir(), 'stepstone-restore-into-home-'));
const folder = migrationsFolder({ '20250101000000_things.js': tableMigration('things') });
let source: TestDatabase;
let other: TestDatabase;
let backupId: string;
const created: string[] = [];

function stepstone(args: string[]): CliRun {
  return runStepstone([...args, '--db', source.url, '--migrations', folder, '--home', home]);
}

async function tables(url: string): Promise<string[]> {
  return (await query<{ t: string }>(url, "select schemaname || '.' || tablename as t from pg_tables where schemaname not in ('pg_catalog', 'information_schema') order by 1")).map((r) => r.t);
}

async function databaseNames(): Promise<string[]> {
  return (await query<{ datname: string }>(serverUrl(), 'select datname from pg_database')).map((r) => r.datname);
}

beforeAll(async () => {
  source = await createTestDatabase('cli_restore_into');
  other = await createTestDatabase('cli_restore_into_other');
  await query(other.url, 'create table precious (id int); insert into precious values (1);');
  expect(stepstone(['upgrade', '--yes', '--no-backup']).code).toBe(0);
  const backup = stepstone(['backup', '--method', 'builtin', '--json']);
  expect(backup.code, backup.stderr).toBe(0);
  backupId = backup.json.id;
});

afterAll(async () => {
  for (const name of created) await dropDatabase(name);
  await source?.drop();
  await other?.drop();
  rmSync(home, { recursive: true, force: true });
  rmSync(folder, { recursive: true, force: true });
});

describe('restore --into', () => {
  it('refuses an existing database that is not empty, naming it and what it holds', async () => {
    for (const into of [other.name, other.url]) {
      const run = stepstone(['restore', backupId, '--into', into, '--yes']);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(new RegExp(`"${other.name}" already exists and is not empty: public\\.precious`));
      expect(run.stderr).toMatch(/--replace/);
    }
    expect(await tables(other.url)).toEqual(['public.precious']);
  });

  it('creates a new database named by a URL on the same server under its name, never the URL', async () => {
    const name = `${source.name}_copy`;
    created.push(name);
    const run = stepstone(['restore', backupId, '--into', urlFor(name), '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.json.database).toBe(name);
    expect(await tables(urlFor(name))).toContain('public.things');
    expect((await databaseNames()).filter((d) => d.includes('://'))).toEqual([]);
  });

  it('refuses what is not a database name (exit 2), a URL on another server, and --replace without --into', async () => {
    for (const into of ['app/restored', 'postgres:/x', 'x'.repeat(64), ' app']) {
      const run = stepstone(['restore', backupId, '--into', into]);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(/is not a valid database name/);
      expect(await databaseNames()).not.toContain(into);
    }
    const elsewhere = new URL(urlFor('elsewhere'));
    elsewhere.port = '1';
    const far = stepstone(['restore', backupId, '--into', elsewhere.toString()]);
    expect(far.code).toBe(2);
    expect(far.stderr).toMatch(/same server/);
    const replaceAlone = stepstone(['restore', backupId, '--replace', '--yes']);
    expect(replaceAlone.code).toBe(2);
    expect(replaceAlone.stderr).toMatch(/--replace goes with --into/);
    expect(await tables(source.url)).toContain('public.things');
  });

  it('--replace says what it drops, needs a confirmation, and then replaces the contents', async () => {
    // Without a terminal and without --yes: refused before anything is dropped.
    const unconfirmed = stepstone(['restore', backupId, '--into', other.name, '--replace']);
    expect(unconfirmed.code).toBe(1);
    expect(unconfirmed.stderr).toMatch(/public\.precious/);
    expect(unconfirmed.stderr).toMatch(/--yes/);
    expect(await tables(other.url)).toEqual(['public.precious']);

    const run = stepstone(['restore', backupId, '--into', other.name, '--replace', '--yes']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(new RegExp(`drops everything "${other.name}" holds: public\\.precious`));
    const now = await tables(other.url);
    expect(now).toContain('public.things');
    expect(now).not.toContain('public.precious');
  });
});
