// What killed backups and restores leave (issue 10, defects 8 and 9): the CLI is SIGKILLed while it
// writes a backup's .partial file, or while it restores into a new database. Status reports both
// (read-only); `backups` removes the stale partial files and says so; `restore --cleanup` (and the
// next run that creates a database) drops the half-restored database. A file or database whose
// writer still runs is kept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, dropDatabase, query, serverUrl, type TestDatabase } from './database';
import { migrationsFolder, tableMigration } from './targets';
import { ROOT, STEPSTONE_BIN, runStepstone, type CliRun } from './run-cli';

const home = mkdtempSync(join(tmpdir(), 'stepstone-leftovers-home-'));
const backupsDir = join(home, 'backups');
const folder = migrationsFolder({ '20250101000000_things.js': tableMigration('things', "t.text('body');") });
let db: TestDatabase;
const created: string[] = [];

function stepstone(args: string[]): CliRun {
  return runStepstone([...args, '--db', db.url, '--migrations', folder, '--home', home]);
}

async function until<T>(what: string, read: () => Promise<T | null | undefined | false> | T | null | undefined | false, everyMs = 20): Promise<T> {
  for (let i = 0; i < 6000; i++) {
    const value = await read();
    if (value) return value;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

/** Runs the CLI and SIGKILLs it once `ready` says so; its pid. */
async function killWhen(args: string[], ready: () => Promise<boolean> | boolean): Promise<number> {
  const child = spawn(process.execPath, [STEPSTONE_BIN, ...args, '--db', db.url, '--migrations', folder, '--home', home], { cwd: ROOT, stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } });
  let exited = false;
  const done = new Promise((r) => child.once('exit', () => ((exited = true), r(null))));
  await until(`${args[0]} to reach the moment to kill`, async () => exited || (await ready()));
  expect(exited, `${args.join(' ')} finished before it could be killed`).toBe(false);
  child.kill('SIGKILL');
  await done;
  return child.pid!;
}

/** A pid that no process has now (a process that ran and exited). */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

const partials = () => (existsSync(backupsDir) ? readdirSync(backupsDir).filter((f) => f.endsWith('.partial')) : []);
const databaseNames = async () => (await query<{ datname: string }>(serverUrl(), 'select datname from pg_database')).map((r) => r.datname);

beforeAll(async () => {
  db = await createTestDatabase('cli_leftovers');
  expect(stepstone(['upgrade', '--yes', '--no-backup']).code).toBe(0);
  // Enough rows that a backup and a restore take a moment to kill them in.
  await query(db.url, "insert into things (body) select repeat(md5(g::text), 20) from generate_series(1, 400000) g");
});

afterAll(async () => {
  for (const name of created) await dropDatabase(name);
  await db?.drop();
  rmSync(home, { recursive: true, force: true });
  rmSync(folder, { recursive: true, force: true });
});

describe('partial files of killed backups', { timeout: 240_000 }, () => {
  it('are named after their writer, reported by status, removed by the next listing; a live writer keeps its file', async () => {
    await killWhen(['backup', '--method', 'builtin'], () => partials().length > 0);
    expect(partials()).toHaveLength(1);
    expect(partials()[0]).toMatch(new RegExp(`\\.stepstone\\.[A-Za-z0-9-]+\\.\\d+\\.partial$`));
    // One of an older Stepstone (no writer in its name), untouched for an hour; one being written by a live process.
    const legacy = join(backupsDir, '20240101-000000-abcdef.stepstone.partial');
    writeFileSync(legacy, 'x');
    utimesSync(legacy, new Date(Date.now() - 3600_000), new Date(Date.now() - 3600_000));
    const live = join(backupsDir, `20240101-000001-abcdef.stepstone.${hostname().replace(/[^A-Za-z0-9-]+/g, '-')}.${process.pid}.partial`);
    writeFileSync(live, 'x');
    const dead = join(backupsDir, `20240101-000002-abcdef.stepstone.${hostname().replace(/[^A-Za-z0-9-]+/g, '-')}.${deadPid()}.partial`);
    writeFileSync(dead, 'x');

    const status = stepstone(['status', '--json']);
    expect(status.code, status.stderr).toBe(0);
    const reported = status.json.leftovers.partialFiles;
    expect(reported).toHaveLength(4);
    expect(reported.filter((p: any) => p.stale)).toHaveLength(3);
    expect(reported.find((p: any) => p.file === live)).toMatchObject({ stale: false, writer: { pid: process.pid } });
    expect(partials()).toHaveLength(4); // status only looks

    const listing = stepstone(['backups']);
    expect(listing.code, listing.stderr).toBe(0);
    expect(listing.stdout).toMatch(/Removed 3 stale partial backup files/);
    expect(listing.stdout).toMatch(/1 partial backup file being written/);
    expect(partials()).toEqual([live.slice(backupsDir.length + 1)]);
    const json = stepstone(['backups', '--json']);
    expect(Array.isArray(json.json)).toBe(true);

    rmSync(live);
    const backup = stepstone(['backup', '--method', 'builtin', '--json']);
    expect(backup.code, backup.stderr).toBe(0);
    expect(partials()).toEqual([]);
  });
});

describe('a killed restore into a new database', { timeout: 240_000 }, () => {
  it('leaves a marked database that status reports and restore --cleanup (or the next restore) drops', async () => {
    const backup = stepstone(['backup', '--method', 'builtin', '--json']);
    expect(backup.code, backup.stderr).toBe(0);
    const into = `${db.name}_restored`;
    created.push(into);
    await killWhen(['restore', backup.json.id, '--into', into, '--yes'], async () => {
      const rows = await query<{ n: number }>(serverUrl(), 'select count(*)::int as n from pg_database where datname = $1', [into]).catch(() => [{ n: 0 }]);
      if (!rows[0].n) return false;
      // Killed once its rows are being loaded.
      const tables = await query<{ n: number }>(serverUrl().replace(/\/[^/]*$/, `/${into}`), "select count(*)::int as n from pg_tables where tablename = 'things'").catch(() => [{ n: 0 }]);
      return tables[0].n > 0;
    });
    expect(await databaseNames()).toContain(into);

    const status = stepstone(['status', '--json']);
    expect(status.code, status.stderr).toBe(0);
    // The server is shared by other tests: only this restore's database is looked at.
    expect(status.json.leftovers.databases.filter((d: any) => d.name === into)).toEqual([expect.objectContaining({ name: into, stale: true, purpose: `restore of backup ${backup.json.id}` })]);
    const text = stepstone(['status']);
    expect(text.stdout).toMatch(new RegExp(`Database ${into}: created for restore of backup`));

    const cleanup = stepstone(['restore', '--cleanup', '--json']);
    expect(cleanup.code, cleanup.stderr).toBe(0);
    expect(cleanup.json.droppedDatabases).toContain(into);
    expect(await databaseNames()).not.toContain(into);

    // Killed again; this time the next restore drops it before it creates its own database.
    await killWhen(['restore', backup.json.id, '--into', into, '--yes'], async () => (await databaseNames()).includes(into));
    const again = stepstone(['restore', backup.json.id, '--into', into, '--yes']);
    expect(again.code, again.stderr).toBe(0);
    const restored = await query<{ n: number }>(serverUrl().replace(/\/[^/]*$/, `/${into}`), 'select count(*)::int as n from things');
    expect(restored[0].n).toBe(400000);
    // A completed restore is the user's database: no marker, never reported or dropped.
    expect((await query<{ c: string | null }>(serverUrl(), "select shobj_description(oid, 'pg_database') as c from pg_database where datname = $1", [into]))[0].c).toBeNull();
    expect(stepstone(['status', '--json']).json.leftovers.databases.map((d: any) => d.name)).not.toContain(into);
  });
});

describe('a killed pg_dump restore into a new database', { timeout: 240_000 }, () => {
  it('takes its pg_restore down with it: nothing is restored after the CLI died, and the database is dropped by cleanup', async () => {
    const backup = stepstone(['backup', '--method', 'pg_dump', '--json']);
    expect(backup.code, backup.stderr).toBe(0);
    const into = `${db.name}_pgrestored`;
    created.push(into);
    const intoUrl = serverUrl().replace(/\/[^/]*$/, `/${into}`);
    const restoring = async () =>
      (await query<{ n: number }>(serverUrl(), "select count(*)::int as n from pg_stat_activity where datname = $1 and application_name like 'stepstone restore%'", [into]))[0].n;
    await killWhen(['restore', backup.json.id, '--into', into, '--yes'], async () => (await restoring()) > 0);
    // An orphaned pg_restore would finish its one transaction and leave every row; one that dies with the CLI commits nothing.
    await until('pg_restore to stop', async () => (await restoring()) === 0, 100);
    expect((await query<{ t: string | null }>(intoUrl, "select to_regclass('public.things')::text as t"))[0].t).toBeNull();
    const cleanup = stepstone(['restore', '--cleanup', '--json']);
    expect(cleanup.json.droppedDatabases).toContain(into);
  });
});

describe('a database whose creator was killed between CREATE DATABASE and its marker', { timeout: 240_000 }, () => {
  it('is left under the pending name it is created under, which names its creator: a dead one’s is reported by status and dropped by restore --cleanup', async () => {
    // What a restore killed right after CREATE DATABASE leaves: the pending database (its marker and rename never came).
    const tag = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);
    const pending = `stepstone_pending_${tag}_${deadPid()}_0badf00d`;
    created.push(pending);
    await query(serverUrl(), `create database "${pending}"`);
    const status = stepstone(['status', '--json']);
    expect(status.code, status.stderr).toBe(0);
    expect(status.json.leftovers.databases.filter((d: any) => d.name === pending)).toEqual([expect.objectContaining({ name: pending, stale: true, purpose: 'being created' })]);
    const cleanup = stepstone(['restore', '--cleanup', '--json']);
    expect(cleanup.code, cleanup.stderr).toBe(0);
    expect(cleanup.json.droppedDatabases).toContain(pending);
    expect(await databaseNames()).not.toContain(pending);
  });
});
