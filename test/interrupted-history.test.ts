// Interrupted operations leave a trace (issue 10, defect 7): the history row is written when the run
// starts and completed at its end, so a CLI SIGKILLed mid-migration (or mid-backup, mid-restore) leaves
// a row nobody holds, which `history` and `status` report as interrupted, with the migration it was on;
// a row whose holder's session was replaced, or whose pid a later backend reuses, is read right.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, query, type TestDatabase } from './database';
import { migrationsFolder, tableMigration } from './targets';
import { ROOT, STEPSTONE_BIN, runStepstone, type CliRun } from './run-cli';

const SLEEPY = '20250102000000_sleepy.js';
const slow = migrationsFolder({
  '20250101000000_things.js': tableMigration('things'),
  [SLEEPY]: `exports.up = (knex) => knex.raw('select pg_sleep(30)');
exports.down = () => {};
`,
});
const GATE = 471147;
const GATED = '20250102000000_gated.js';
const gated = migrationsFolder({
  '20250101000000_things.js': tableMigration('things'),
  [GATED]: `exports.up = async (knex) => { await knex.raw('select pg_advisory_lock(${GATE})'); await knex.raw('select pg_advisory_unlock(${GATE})'); };
exports.down = () => {};
`,
});
const quick = migrationsFolder({ '20250101000000_things.js': tableMigration('things') });
const failing = migrationsFolder({
  '20250101000000_things.js': tableMigration('things'),
  '20250102000000_broken.js': `exports.up = (knex) => knex.raw('select * from no_such_table');
exports.down = () => {};
`,
});
const home = mkdtempSync(join(tmpdir(), 'stepstone-history7-home-'));
const databases: TestDatabase[] = [];
const children: ChildProcess[] = [];
const clients: pg.Client[] = [];

async function session(db: TestDatabase): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: db.url, application_name: 'history7 test' });
  c.on('error', () => {});
  await c.connect();
  clients.push(c);
  return c;
}

function spawnStepstone(db: TestDatabase, folder: string, args: string[]): { child: ChildProcess; exit: Promise<number | null>; stderr: () => string } {
  const child = spawn(process.execPath, [STEPSTONE_BIN, ...args, '--db', db.url, '--migrations', folder, '--home', home], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  return { child, exit: new Promise((r) => child.once('exit', (code) => r(code))), stderr: () => stderr };
}

/** Backends of this database waiting on a lock (a gate the test holds). */
async function waiting(db: TestDatabase, like: string): Promise<number | null> {
  const rows = await query<{ pid: number }>(db.url, `select pid from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and query ilike $1 and pid <> pg_backend_pid()`, [like]);
  return rows[0]?.pid ?? null;
}

/** Stepstone's sessions on this database are all gone (a killed client's backends end once they notice). */
async function stepstoneGone(db: TestDatabase): Promise<boolean> {
  return (await query(db.url, `select 1 from pg_stat_activity where datname = current_database() and application_name ilike 'stepstone%' and pid <> pg_backend_pid()`)).length === 0;
}

afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

afterAll(async () => {
  for (const d of databases) await d.drop();
  for (const c of clients) await c.end().catch(() => {});
  for (const f of [home, slow, quick, failing, gated]) rmSync(f, { recursive: true, force: true });
});

async function database(label: string): Promise<TestDatabase> {
  const d = await createTestDatabase(`history7_${label}`);
  databases.push(d);
  return d;
}

function stepstone(db: TestDatabase, folder: string, args: string[]): CliRun {
  return runStepstone([...args, '--db', db.url, '--migrations', folder, '--home', home]);
}

async function until<T>(what: string, read: () => Promise<T | null | undefined | false>): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const value = await read();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

describe('an interrupted operation in the history', () => {
  it('reads as interrupted during the migration it was on, in history and status', async () => {
    const db = await database('killed');
    const child = spawn(process.execPath, [STEPSTONE_BIN, 'upgrade', '--yes', '--db', db.url, '--migrations', slow, '--home', home], { cwd: ROOT, stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } });
    children.push(child);
    const sleeper = await until('pg_sleep to run', async () => {
      const rows = await query<{ pid: number }>(db.url, `select pid from pg_stat_activity where datname = current_database() and query ilike '%pg_sleep%' and state = 'active' and pid <> pg_backend_pid()`);
      return rows[0]?.pid ?? null;
    });
    // A step that follows another closely is noted once it has run a moment (current-migration-note.ts).
    await until('the row to note the sleeping migration', async () =>
      (await query(db.url, `select 1 from stepstone_history where outcome = 'running' and details->>'migration' = $1`, [SLEEPY])).length > 0,
    );
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    // The server notices the closed socket once pg_sleep returns; end it now rather than in 30 s.
    await query(db.url, 'select pg_terminate_backend($1)', [sleeper]);
    const stepstoneGone = async () => (await query(db.url, `select 1 from pg_stat_activity where datname = current_database() and application_name ilike '%stepstone%' and pid <> pg_backend_pid()`)).length === 0;
    await until('the killed sessions to end', stepstoneGone);

    const history = stepstone(db, slow, ['history', '--json']);
    expect(history.code, history.stderr).toBe(0);
    expect(history.json).toHaveLength(1);
    expect(history.json[0]).toMatchObject({ operation: 'upgrade', outcome: 'interrupted', details: { migration: SLEEPY } });

    const text = stepstone(db, slow, ['history']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/interrupted/);
    expect(text.stdout).toContain(SLEEPY);

    const status = stepstone(db, slow, ['status', '--json']);
    expect(status.code, status.stderr).toBe(0);
    expect(status.json.interruptedOperations).toEqual([
      expect.objectContaining({ id: history.json[0].id, operation: 'upgrade', migration: SLEEPY, startedAt: history.json[0].startedAt }),
    ]);
  });

  it('a run that finishes still reads succeeded, one that fails failed; neither is listed as interrupted', async () => {
    const ok = await database('ok');
    expect(stepstone(ok, quick, ['upgrade', '--yes']).code).toBe(0);
    expect(stepstone(ok, quick, ['history', '--json']).json).toEqual([expect.objectContaining({ operation: 'upgrade', outcome: 'succeeded' })]);
    expect(stepstone(ok, quick, ['status', '--json']).json.interruptedOperations).toEqual([]);

    const bad = await database('bad');
    expect(stepstone(bad, failing, ['upgrade', '--yes']).code).toBe(1);
    expect(stepstone(bad, failing, ['history', '--json']).json).toEqual([expect.objectContaining({ operation: 'upgrade', outcome: 'failed' })]);
    expect(stepstone(bad, failing, ['status', '--json']).json.interruptedOperations).toEqual([]);
  });

  it('a run whose lock session the server closed, and that took the lock again on a new one, reads running, then succeeded', async () => {
    const db = await database('moved');
    const gate = await session(db);
    await gate.query('select pg_advisory_lock($1)', [GATE]);
    const run = spawnStepstone(db, gated, ['upgrade', '--yes', '--no-backup']);
    await until('the gated migration to wait', () => waiting(db, '%pg_advisory_lock%'));
    const stps = `select pid from pg_locks where locktype = 'advisory' and granted and classid = ((x'53545053')::int)::oid and database = (select oid from pg_database where datname = current_database())`;
    const [first] = await query<{ pid: number }>(db.url, stps);
    await query(db.url, 'select pg_terminate_backend($1)', [first.pid]);
    await until('the lock taken again on another session', async () => (await query<{ pid: number }>(db.url, stps)).some((r) => r.pid !== first.pid));

    const during = stepstone(db, gated, ['history', '--json']);
    expect(during.json).toEqual([expect.objectContaining({ operation: 'upgrade', outcome: 'running' })]);
    expect(stepstone(db, gated, ['status', '--json']).json.interruptedOperations).toEqual([]);

    await gate.query('select pg_advisory_unlock($1)', [GATE]);
    expect(await run.exit, run.stderr()).toBe(0);
    expect(stepstone(db, gated, ['history', '--json']).json).toEqual([expect.objectContaining({ operation: 'upgrade', outcome: 'succeeded' })]);
  });

  it('a running row reads running only while its very backend holds its key: a pid reused by a later backend is interrupted', async () => {
    const db = await database('reused');
    expect(stepstone(db, quick, ['upgrade', '--yes', '--no-backup']).code).toBe(0);
    const holder = await session(db);
    const key = [0x53545048, 12345];
    await holder.query('select pg_advisory_lock($1, $2)', key);
    const { pid, since } = (await holder.query(`select pg_backend_pid() as pid, (select extract(epoch from backend_start)::text from pg_stat_activity where pid = pg_backend_pid()) as since`)).rows[0];
    const row = (holderSince: string) =>
      query(db.url, `insert into stepstone_history (operation, outcome, os_user, host, started_at, duration_ms, details) values ('backup', 'running', 'u', 'h', now(), 0, $1::jsonb)`, [
        JSON.stringify({ token: holderSince, holder: { pid, since: holderSince, key } }),
      ]);
    await row(since); // this backend
    await row('1000000000.5'); // the same pid, a backend that started long ago: not this one
    const outcomes = stepstone(db, quick, ['history', '--json', '--operation', 'backup']).json.map((e: { outcome: string }) => e.outcome);
    expect(outcomes).toEqual(['interrupted', 'running']);
    await holder.query('select pg_advisory_unlock($1, $2)', key);
    expect(stepstone(db, quick, ['history', '--json', '--operation', 'backup']).json.map((e: { outcome: string }) => e.outcome)).toEqual(['interrupted', 'interrupted']);
  });

  it('a backup and a restore killed mid-way each leave a row read as interrupted (the held-back table lets the test kill them there)', async () => {
    const db = await database('backup');
    expect(stepstone(db, quick, ['upgrade', '--yes', '--no-backup']).code).toBe(0);
    const made = stepstone(db, quick, ['backup', '--json']);
    expect(made.code, made.stderr).toBe(0);

    for (const args of [['backup', '--method', 'builtin'], ['restore', made.json.id, '--yes']]) {
      const blocker = await session(db);
      await blocker.query('begin');
      await blocker.query('lock table things in access exclusive mode');
      const run = spawnStepstone(db, quick, args);
      await until(`${args[0]} to wait for the table`, () => waiting(db, '%'));
      run.child.kill('SIGKILL');
      await run.exit;
      await blocker.query('rollback');
      await until('the killed sessions to end', () => stepstoneGone(db));
      const history = stepstone(db, quick, ['history', '--json', '--operation', args[0]]);
      expect(history.code, history.stderr).toBe(0);
      expect(history.json[0], JSON.stringify(history.json)).toMatchObject({ operation: args[0], outcome: 'interrupted' });
      expect(stepstone(db, quick, ['status', '--json']).json.interruptedOperations).toEqual(expect.arrayContaining([expect.objectContaining({ operation: args[0], id: history.json[0].id })]));
    }
  });

  it('a backup whose history session the server closes is still recorded, as succeeded', async () => {
    const db = await database('terminated');
    expect(stepstone(db, quick, ['upgrade', '--yes', '--no-backup']).code).toBe(0);
    const blocker = await session(db);
    await blocker.query('begin');
    await blocker.query('lock table things in access exclusive mode');
    const run = spawnStepstone(db, quick, ['backup', '--method', 'builtin']);
    await until('the backup to wait for the table', () => waiting(db, '%'));
    const stph = `select pid from pg_locks where locktype = 'advisory' and granted and classid = ((x'53545048')::int)::oid`;
    const first = await until('the backup history session', async () => (await query<{ pid: number }>(db.url, stph))[0]);
    await query(db.url, 'select pg_terminate_backend($1)', [first.pid]);
    await until('the row held again from a new session', async () => (await query<{ pid: number }>(db.url, stph)).some((r) => r.pid !== first.pid));
    expect(stepstone(db, quick, ['history', '--json', '--operation', 'backup']).json[0]).toMatchObject({ outcome: 'running' });
    await blocker.query('rollback');
    expect(await run.exit, run.stderr()).toBe(0);
    expect(stepstone(db, quick, ['history', '--json', '--operation', 'backup']).json).toEqual([expect.objectContaining({ outcome: 'succeeded', details: expect.objectContaining({ method: 'builtin' }) })]);
  });
});
