// Interrupted operations leave a trace (issue 10, defect 7): the history row is written when the run
// starts and completed at its end, so a CLI SIGKILLed mid-migration leaves a row nobody holds, which
// `history` and `status` report as interrupted, with the migration it was on.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
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

afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

afterAll(async () => {
  for (const d of databases) await d.drop();
  for (const f of [home, slow, quick, failing]) rmSync(f, { recursive: true, force: true });
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
});
