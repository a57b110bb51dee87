import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, query, type TestDatabase } from '../../../test/database';
import { migrationsFolder, tableMigration, targetFor } from '../../../test/targets';
import type { ProgressEvent } from '../../shared/run';
import { openDatabase, type Db } from '../database/open-database';
import { getStatus } from '../status/get-status';
import { makePlan } from '../plan/make-plan';
import { executePlan } from './execute-plan';
import { listHistory } from '../history/history-log';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('execute_plan');
});
afterAll(async () => {
  await database?.drop();
});

async function tables(url: string): Promise<string[]> {
  const rows = await query<{ tablename: string }>(url, "select tablename from pg_tables where schemaname = 'public' order by 1");
  return rows.map((r) => r.tablename);
}

async function withDb<T>(dir: string, fn: (db: Db) => Promise<T>, mode: 'knex' | 'per-migration' = 'knex'): Promise<T> {
  const db = await openDatabase(targetFor(database.url, [dir], { transactionMode: mode }));
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

describe('executePlan', () => {
  const dir = migrationsFolder({
    '20250101000000_a.js': tableMigration('a'),
    '20250102000000_b.js': tableMigration('b'),
    '20250103000000_c.js': tableMigration('c'),
  });

  it('status on an untouched database creates nothing', async () => {
    const status = await withDb(dir, getStatus);
    expect(status.ledgerExists).toBe(false);
    expect(status.pending.map((p) => p.name)).toEqual(['20250101000000_a.js', '20250102000000_b.js', '20250103000000_c.js']);
    expect(await tables(database.url)).toEqual([]);
  });

  it('upgrades to a target exactly, in one batch, with progress events', async () => {
    const events: ProgressEvent[] = [];
    const result = await withDb(dir, async (db) => executePlan(db, await makePlan(db, { kind: 'upgrade', to: '20250102000000_b' }), { onProgress: (e) => events.push(e) }));
    expect(result.outcome).toBe('succeeded');
    expect(result.headAfter).toBe('20250102000000_b.js');
    expect(events.map((e) => e.type)).toEqual(['started', 'finished', 'started', 'finished']);
    const ledger = await query<{ name: string; batch: number }>(database.url, 'select name, batch from knex_migrations order by id');
    expect(ledger).toEqual([
      { name: '20250101000000_a.js', batch: 1 },
      { name: '20250102000000_b.js', batch: 1 },
    ]);
    const status = await withDb(dir, getStatus);
    expect(status.applied.every((a) => a.recordedChecksum && a.durationMs !== null)).toBe(true);
    expect(status.lock.locked).toBe(false);
    // Stepstone's records, written together before the one transaction commits: each step's own checksum and author.
    const records = await query<{ name: string; checksum: string; applied_by: string }>(database.url, 'select name, checksum, applied_by from stepstone_migrations order by name');
    expect(records).toEqual(result.plan.steps.map((s) => ({ name: s.name, checksum: s.checksum, applied_by: expect.stringContaining('@') })));
  });

  it('rolls back the last batch and records history', async () => {
    const result = await withDb(dir, async (db) => executePlan(db, await makePlan(db, { kind: 'rollback', mode: 'last-batch' })));
    expect(result.steps.map((s) => [s.name, s.outcome])).toEqual([
      ['20250102000000_b.js', 'reverted'],
      ['20250101000000_a.js', 'reverted'],
    ]);
    expect(await tables(database.url)).not.toContain('a');
    expect(await query(database.url, 'select name from stepstone_migrations')).toEqual([]);
    const history = await withDb(dir, (db) => listHistory(db));
    expect(history.map((h) => [h.operation, h.outcome])).toEqual([
      ['rollback', 'succeeded'],
      ['upgrade', 'succeeded'],
    ]);
  });

  it('refuses a stale plan', async () => {
    await withDb(dir, async (db) => {
      const plan = await makePlan(db, { kind: 'upgrade' });
      await executePlan(db, await makePlan(db, { kind: 'upgrade', to: '20250101000000_a.js' }));
      await expect(executePlan(db, plan)).rejects.toMatchObject({ code: 'PLAN_STALE' });
      await executePlan(db, await makePlan(db, { kind: 'rollback', mode: 'all' }));
    });
  });
});

describe('a migration that throws halfway through a batch', () => {
  const failing = migrationsFolder({
    '20250101000000_ok.js': tableMigration('ok1'),
    '20250102000000_boom.js': `exports.up = async (knex) => { await knex.schema.createTable('half', (t) => t.increments()); await knex.raw('select * from no_such_table'); };
exports.down = (knex) => knex.schema.dropTableIfExists('half');`,
    '20250103000000_after.js': tableMigration('after1'),
  });

  it('one transaction: nothing is applied, the failure is recorded, the lock is free', async () => {
    const result = await withDb(failing, async (db) => executePlan(db, await makePlan(db, { kind: 'upgrade' })));
    expect(result.outcome).toBe('failed');
    expect(result.error).toMatchObject({ code: 'MIGRATION_FAILED', migration: '20250102000000_boom.js' });
    expect(result.error?.message).toMatch(/no_such_table/);
    expect(result.stateAfter).toMatch(/Nothing applied/);
    expect(result.steps.map((s) => s.outcome)).toEqual(['rolled-back', 'failed', 'skipped']);
    const t = await tables(database.url);
    expect(t).not.toContain('ok1');
    expect(t).not.toContain('half');
    const status = await withDb(failing, getStatus);
    expect(status.applied).toEqual([]);
    expect(status.lock).toMatchObject({ locked: false, state: 'free' });
    const history = await withDb(failing, (db) => listHistory(db, { outcome: 'failed' }));
    expect(history[0]).toMatchObject({ operation: 'upgrade', outcome: 'failed' });
  });

  it('per migration: the batch stops at the failing migration, earlier ones stay', async () => {
    const result = await withDb(failing, async (db) => executePlan(db, await makePlan(db, { kind: 'upgrade' })), 'per-migration');
    expect(result.outcome).toBe('failed');
    expect(result.steps.map((s) => s.outcome)).toEqual(['applied', 'failed', 'skipped']);
    expect(result.stateAfter).toMatch(/1 of 3 applied/);
    const t = await tables(database.url);
    expect(t).toContain('ok1');
    expect(t).not.toContain('half');
    const status = await withDb(failing, getStatus, 'per-migration');
    expect(status.applied.map((a) => a.name)).toEqual(['20250101000000_ok.js']);
    expect(status.lock.locked).toBe(false);
  });
});

describe('upgrade to a target that is already applied', () => {
  it('is a no-op, so a pipeline can repeat it', async () => {
    const own = await createTestDatabase('execute_repeat');
    const dir = migrationsFolder({ '20250101000000_r1.js': tableMigration('r1'), '20250102000000_r2.js': tableMigration('r2') });
    const db = await openDatabase(targetFor(own.url, [dir]));
    try {
      await executePlan(db, await makePlan(db, { kind: 'upgrade', to: '20250101000000_r1' }));
      const again = await makePlan(db, { kind: 'upgrade', to: '20250101000000_r1' });
      expect(again.steps).toEqual([]);
      await expect(makePlan(db, { kind: 'upgrade', to: '20250101000000_nope' })).rejects.toMatchObject({ code: 'MIGRATION_NOT_FOUND' });
    } finally {
      await db.close();
      await own.drop();
    }
  });
});

describe('a migration edited between plan and execution', () => {
  it('is refused as stale, even when the edit keeps the file size', async () => {
    const own = await createTestDatabase('execute_edited');
    const dir = migrationsFolder({ '20250101000000_e1.js': tableMigration('e1') });
    const db = await openDatabase(targetFor(own.url, [dir]));
    try {
      const plan = await makePlan(db, { kind: 'upgrade' });
      const path = join(dir, '20250101000000_e1.js');
      const before = readFileSync(path, 'utf8');
      writeFileSync(path, before.replace("'e1'", "'e2'")); // same length, other table
      const later = new Date(Date.now() + 5_000);
      utimesSync(path, later, later); // a clock tick later, as an editor's save would be
      await expect(executePlan(db, plan)).rejects.toMatchObject({ code: 'PLAN_STALE' });
      expect(await tables(own.url)).toEqual([]);
    } finally {
      await db.close();
      await own.drop();
    }
  });
});
