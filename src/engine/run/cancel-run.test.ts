import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, query, type TestDatabase } from '../../../test/database';
import { migrationsFolder, tableMigration, targetFor } from '../../../test/targets';
import type { ProgressEvent, RunResult } from '../../shared/run';
import { openDatabase } from '../database/open-database';
import { makePlan } from '../plan/make-plan';
import { listHistory } from '../history/history-log';
import { executePlan } from './execute-plan';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('cancel_run');
});
afterAll(async () => {
  await database?.drop();
});

async function tables(): Promise<string[]> {
  const rows = await query<{ tablename: string }>(database.url, "select tablename from pg_tables where schemaname = 'public' and tablename not like 'knex%' and tablename not like 'stepstone%' order by 1");
  return rows.map((r) => r.tablename);
}

const SLOW = '20250101000002_slow.js';

/** Run an upgrade of `files` and abort when `when` says so; the events and the result. */
async function runAndCancel(files: Record<string, string>, mode: 'knex' | 'per-migration', when: (e: ProgressEvent) => boolean, delayMs = 200) {
  await query(database.url, 'drop schema public cascade; create schema public');
  const db = await openDatabase(targetFor(database.url, [migrationsFolder(files)], { transactionMode: mode }));
  const events: ProgressEvent[] = [];
  const controller = new AbortController();
  try {
    const started = performance.now();
    const result: RunResult = await executePlan(db, await makePlan(db, { kind: 'upgrade' }), {
      signal: controller.signal,
      onProgress: (e) => {
        events.push(e);
        if (!when(e)) return;
        if (delayMs === 0) controller.abort();
        else setTimeout(() => controller.abort(), delayMs);
      },
    });
    const history = await listHistory(db);
    return { result, events, history, ms: performance.now() - started };
  } finally {
    await db.close();
  }
}

const sleeping = (seconds: number, config = '') =>
  `${config}exports.up = async (knex) => { await knex.schema.createTable('slow', (t) => t.increments()); await knex.raw('select pg_sleep(${seconds})'); };
exports.down = (knex) => knex.schema.dropTableIfExists('slow');
`;

describe('Cancel in one-transaction-per-migration mode', () => {
  it('interrupts a running transactional migration: it rolls back, the ones before stay, the step is cancelled (not failed)', async () => {
    const { result, events, history, ms } = await runAndCancel(
      { '20250101000001_a.js': tableMigration('a'), [SLOW]: sleeping(20), '20250101000003_c.js': tableMigration('c') },
      'per-migration',
      (e) => e.type === 'started' && e.name === SLOW,
    );
    expect(ms).toBeLessThan(15_000); // not waited out: pg_sleep(20) was interrupted
    expect(result.outcome).toBe('cancelled');
    expect(result.steps.map((s) => s.outcome)).toEqual(['applied', 'cancelled', 'skipped']);
    expect(result.stateAfter).toMatch(/1 of 3 applied/);
    expect(await tables()).toEqual(['a']);
    expect(events.some((e) => e.type === 'cancelled' && e.name === SLOW)).toBe(true);
    expect(events.some((e) => e.type === 'failed')).toBe(false);
    const log = events.filter((e) => e.type === 'log').map((e) => (e.type === 'log' ? e.message : ''));
    expect(log.some((m) => m.startsWith(`Cancel received: stopping ${SLOW}`))).toBe(true);
    expect(history[0]).toMatchObject({ operation: 'upgrade', outcome: 'cancelled' });
    expect(history[0].steps.map((s) => s.outcome)).toEqual(['applied', 'cancelled', 'skipped']);
  });

  it('lets a non-transactional migration finish and stops after it', async () => {
    const { result, events } = await runAndCancel(
      { '20250101000001_a.js': tableMigration('a'), [SLOW]: sleeping(1, 'exports.config = { transaction: false };\n'), '20250101000003_c.js': tableMigration('c') },
      'per-migration',
      (e) => e.type === 'started' && e.name === SLOW,
    );
    expect(result.outcome).toBe('cancelled');
    expect(result.steps.map((s) => s.outcome)).toEqual(['applied', 'applied', 'skipped']);
    expect(await tables()).toEqual(['a', 'slow']);
    const log = events.filter((e) => e.type === 'log').map((e) => (e.type === 'log' ? e.message : ''));
    expect(log.some((m) => m.includes('runs outside a transaction, so it finishes and the run stops after it'))).toBe(true);
  });
});

describe('Cancel in one-transaction mode', () => {
  it('logs the cancel before the outcome and rolls the whole plan back', async () => {
    const { result, events } = await runAndCancel(
      { '20250101000001_a.js': tableMigration('a'), [SLOW]: sleeping(20), '20250101000003_c.js': tableMigration('c') },
      'knex',
      (e) => e.type === 'started' && e.name === SLOW,
    );
    expect(result.outcome).toBe('cancelled');
    expect(result.steps.map((s) => s.outcome)).toEqual(['rolled-back', 'cancelled', 'skipped']);
    const cancelLog = events.findIndex((e) => e.type === 'log' && e.message.startsWith('Cancel received'));
    const cancelledStep = events.findIndex((e) => e.type === 'cancelled');
    expect(cancelLog).toBeGreaterThanOrEqual(0);
    expect(cancelLog).toBeLessThan(cancelledStep);
    expect(await tables()).toEqual([]);
  });

  it('a cancel that comes after the last step finished changes nothing: the run succeeded', async () => {
    const { result } = await runAndCancel(
      { '20250101000001_a.js': tableMigration('a') },
      'per-migration',
      (e) => e.type === 'finished',
      0, // at once: the step's code is done and recorded, only its commit is left
    );
    expect(result.outcome).toBe('succeeded');
    expect(await tables()).toEqual(['a']);
  });
});
