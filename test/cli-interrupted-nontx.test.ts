// An interrupted non-transactional migration (issue 10, defect 6): the CLI is SIGKILLed while its
// CREATE INDEX CONCURRENTLY (or DROP INDEX CONCURRENTLY) waits behind an open transaction. The server
// carries on or is stopped, leaving a valid index with no ledger row, an INVALID index, or a dropped
// index still recorded as applied. Status names what it finds and the repairs; `repair` performs the
// one the user picks; one upgrade afterwards reaches the full schema.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createTestDatabase, query, type TestDatabase } from './database';
import { migrationsFolder, tableMigration } from './targets';
import { ROOT, STEPSTONE_BIN, runStepstone, type CliRun } from './run-cli';

const folder = migrationsFolder({
  '20250101000000_things.js': tableMigration('things', "t.string('name');"),
  '20250102000000_things_name_index.js': `exports.config = { transaction: false };
exports.up = (knex) => knex.raw('create index concurrently things_name_idx on things (name)');
exports.down = (knex) => knex.raw('drop index concurrently things_name_idx');
`,
  '20250103000000_more.js': tableMigration('more'),
});
const INDEX_MIGRATION = '20250102000000_things_name_index.js';
const home = mkdtempSync(join(tmpdir(), 'stepstone-nontx-home-'));
const databases: TestDatabase[] = [];
const blockers: pg.Client[] = [];
const children: ChildProcess[] = [];

afterEach(async () => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const b of blockers.splice(0)) await b.end().catch(() => undefined);
});

afterAll(async () => {
  for (const d of databases) await d.drop();
  rmSync(home, { recursive: true, force: true });
  rmSync(folder, { recursive: true, force: true });
});

async function database(label: string): Promise<TestDatabase> {
  const d = await createTestDatabase(`nontx_${label}`);
  databases.push(d);
  return d;
}

function stepstone(db: TestDatabase, args: string[]): CliRun {
  return runStepstone([...args, '--db', db.url, '--migrations', folder, '--home', home]);
}

/** An open transaction that has touched `things`: a CONCURRENTLY build or drop waits for it. */
async function blocker(db: TestDatabase, sql: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  await client.query('begin');
  await client.query(sql);
  blockers.push(client);
  return client;
}

async function until<T>(what: string, read: () => Promise<T | null | undefined | false>): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const value = await read();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

/** The backend running `pattern` (a CONCURRENTLY statement), once it waits. */
async function backendRunning(db: TestDatabase, pattern: string): Promise<number | null> {
  const rows = await query<{ pid: number }>(db.url, `select pid from pg_stat_activity where datname = current_database() and query ilike $1 and state = 'active' and pid <> pg_backend_pid()`, [pattern]);
  return rows[0]?.pid ?? null;
}

/** Starts the CLI and SIGKILLs it once its statement `pattern` waits on the server; the statement's backend pid. */
async function killDuring(db: TestDatabase, args: string[], pattern: string): Promise<number> {
  const child = spawn(process.execPath, [STEPSTONE_BIN, ...args, '--db', db.url, '--migrations', folder, '--home', home], { cwd: ROOT, stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } });
  children.push(child);
  const pid = await until(`${pattern} to wait`, () => backendRunning(db, pattern));
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
  return pid;
}

async function status(db: TestDatabase): Promise<any> {
  const run = stepstone(db, ['status', '--json']);
  expect(run.code, run.stderr).toBe(0);
  return run.json;
}

async function indexState(db: TestDatabase): Promise<{ valid: boolean } | null> {
  const rows = await query<{ valid: boolean }>(db.url, `select i.indisvalid as valid from pg_index i where i.indexrelid = to_regclass('things_name_idx')`);
  return rows[0] ?? null;
}

async function ledger(db: TestDatabase): Promise<string[]> {
  return (await query<{ name: string }>(db.url, 'select name from knex_migrations order by id')).map((r) => r.name);
}

describe('an interrupted non-transactional migration', { timeout: 240_000 }, () => {
  it('killed during CREATE INDEX CONCURRENTLY that then finished: a valid index without a ledger row, reported and marked applied', async () => {
    const db = await database('valid');
    expect(stepstone(db, ['upgrade', '--to', '20250101000000_things', '--yes', '--no-backup']).code).toBe(0);
    const hold = await blocker(db, "insert into things (name) values ('x')");
    const backend = await killDuring(db, ['upgrade', '--yes', '--no-backup'], 'create index concurrently%');

    // The client is gone but the server still builds: reported, and no repair offered yet.
    const running = await until('the interruption to show', async () => (await status(db)).interrupted?.[0]);
    expect(running).toMatchObject({ name: INDEX_MIGRATION, direction: 'up', state: 'interrupted', stillRunning: { pid: backend } });
    expect(running.repairs.every((r: any) => !r.available)).toBe(true);

    await hold.query('commit');
    await until('the build to end', async () => (await backendRunning(db, 'create index concurrently%')) === null);
    expect(await indexState(db)).toEqual({ valid: true });
    expect(await ledger(db)).toEqual(['20250101000000_things.js']);

    const st = await status(db);
    expect(st.interrupted).toHaveLength(1);
    const found = st.interrupted[0];
    expect(found.stillRunning).toBeNull();
    expect(found.objects).toEqual([{ kind: 'index', name: 'public.things_name_idx', exists: true, valid: true }]);
    expect(found.summary).toMatch(/Interrupted during 20250102000000_things_name_index\.js/);
    expect(found.repairs.find((r: any) => r.action === 'complete')).toMatchObject({ available: true });
    expect(found.repairs.find((r: any) => r.action === 'retry')).toMatchObject({ available: true, sql: ['drop index concurrently if exists "public"."things_name_idx"'] });
    const text = stepstone(db, ['status']);
    expect(text.stdout).toMatch(/Interrupted during 20250102000000_things_name_index\.js/);
    expect(text.stdout).toMatch(/stepstone repair 20250102000000_things_name_index\.js --action complete/);

    const repaired = stepstone(db, ['repair', INDEX_MIGRATION, '--action', 'complete', '--yes', '--json']);
    expect(repaired.code, repaired.stderr).toBe(0);
    expect(repaired.json).toMatchObject({ name: INDEX_MIGRATION, action: 'complete', sql: [] });
    expect(await ledger(db)).toEqual(['20250101000000_things.js', INDEX_MIGRATION]);
    const after = await status(db);
    expect(after.interrupted).toEqual([]);
    expect(after.lock.state).toBe('free');

    const upgrade = stepstone(db, ['upgrade', '--yes', '--no-backup']);
    expect(upgrade.code, upgrade.stderr).toBe(0);
    expect(await ledger(db)).toEqual(['20250101000000_things.js', INDEX_MIGRATION, '20250103000000_more.js']);
    const history = stepstone(db, ['history', '--operation', 'repair', '--json']);
    expect(history.json[0]).toMatchObject({ operation: 'repair', outcome: 'succeeded', details: { migration: INDEX_MIGRATION, action: 'complete' } });
  });

  it('killed, then the build terminated: an INVALID index, dropped by the retry repair; the next upgrade builds it again', async () => {
    const db = await database('invalid');
    expect(stepstone(db, ['upgrade', '--to', '20250101000000_things', '--yes', '--no-backup']).code).toBe(0);
    const hold = await blocker(db, "insert into things (name) values ('x')");
    const backend = await killDuring(db, ['upgrade', '--yes', '--no-backup'], 'create index concurrently%');
    await query(db.url, 'select pg_terminate_backend($1)', [backend]);
    await until('the build to end', async () => (await backendRunning(db, 'create index concurrently%')) === null);
    await hold.query('commit');
    expect(await indexState(db)).toEqual({ valid: false });

    const found = await until('the interruption to show', async () => (await status(db)).interrupted?.[0]);
    expect(found.objects).toEqual([{ kind: 'index', name: 'public.things_name_idx', exists: true, valid: false }]);
    expect(found.invalidIndexes).toEqual(['public.things_name_idx']);
    expect(found.summary).toMatch(/INVALID/);
    expect(found.repairs.find((r: any) => r.action === 'complete')).toMatchObject({ available: false });

    const refused = stepstone(db, ['repair', '--action', 'complete', '--yes']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/Cannot complete .*is invalid.*--action retry/s);
    expect(await indexState(db)).toEqual({ valid: false });

    const repaired = stepstone(db, ['repair', '--action', 'retry', '--yes']);
    expect(repaired.code, repaired.stderr).toBe(0);
    expect(await indexState(db)).toBeNull();
    const upgrade = stepstone(db, ['upgrade', '--yes', '--no-backup']);
    expect(upgrade.code, upgrade.stderr).toBe(0);
    expect(await indexState(db)).toEqual({ valid: true });
    expect((await status(db)).interrupted).toEqual([]);
  });

  it('killed during DROP INDEX CONCURRENTLY that then finished: the index is gone but still recorded; complete records the rollback', async () => {
    const db = await database('drop');
    expect(stepstone(db, ['upgrade', '--yes', '--no-backup']).code).toBe(0);
    const hold = await blocker(db, 'select * from things');
    await killDuring(db, ['rollback', '--to', '20250101000000_things', '--yes', '--no-backup'], 'drop index concurrently%');
    await hold.query('commit');
    await until('the drop to end', async () => (await backendRunning(db, 'drop index concurrently%')) === null);
    expect(await indexState(db)).toBeNull();
    expect(await ledger(db)).toEqual(['20250101000000_things.js', INDEX_MIGRATION]);

    const found = await until('the interruption to show', async () => (await status(db)).interrupted?.[0]);
    expect(found).toMatchObject({ name: INDEX_MIGRATION, direction: 'down', objects: [{ kind: 'index', name: 'things_name_idx', exists: false, valid: null }] });
    expect(found.repairs.find((r: any) => r.action === 'complete')).toMatchObject({ available: true });
    expect(found.repairs.find((r: any) => r.action === 'retry')).toMatchObject({ available: false });

    const repaired = stepstone(db, ['repair', '--action', 'complete', '--yes']);
    expect(repaired.code, repaired.stderr).toBe(0);
    expect(await ledger(db)).toEqual(['20250101000000_things.js']);
    const upgrade = stepstone(db, ['upgrade', '--yes', '--no-backup']);
    expect(upgrade.code, upgrade.stderr).toBe(0);
    expect(await indexState(db)).toEqual({ valid: true });
    expect(await ledger(db)).toEqual(['20250101000000_things.js', INDEX_MIGRATION, '20250103000000_more.js']);
  });

  it('repair refuses a bad action (exit 2) and says when nothing is interrupted', async () => {
    const db = await database('none');
    const bad = stepstone(db, ['repair', '--action', 'undo']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--action undo is not a repair: it is retry or complete/);
    const none = stepstone(db, ['repair', '--action', 'retry', '--yes']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/No non-transactional migration is interrupted/);
  });
});
