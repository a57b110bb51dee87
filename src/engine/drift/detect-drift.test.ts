// Drift on the real PostgreSQL: runs record the schema; changes made by hand afterwards are reported.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, query, type TestDatabase } from '../../../test/database';
import { SAMPLE_MIGRATIONS, migrationsFolder, targetFor } from '../../../test/targets';
import type { ProgressEvent } from '../../shared/run';
import { openDatabase, type Db } from '../database/open-database';
import { makePlan } from '../plan/make-plan';
import { executePlan } from '../run/execute-plan';
import { detectDrift } from './detect-drift';
import { latestSchemaSnapshot } from './record-schema-snapshot';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('drift');
});
afterAll(async () => {
  await database?.drop();
});

async function withDb<T>(fn: (db: Db) => Promise<T>, dirs = [SAMPLE_MIGRATIONS]): Promise<T> {
  const db = await openDatabase(targetFor(database.url, dirs));
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

describe('detectDrift', () => {
  it('reports no reference and no drift before Stepstone ever ran, creating nothing', async () => {
    const report = await withDb(detectDrift);
    expect(report).toEqual({ recordedAt: null, head: null, currentHead: null, drifted: false, diff: { changes: [] } });
    expect(await query(database.url, "select tablename from pg_tables where schemaname = 'public'")).toEqual([]);
  });

  it('records the schema after an upgrade, linked to its history entry; no drift right after', async () => {
    const result = await withDb(async (db) => executePlan(db, await makePlan(db, { kind: 'upgrade' })));
    expect(result.outcome).toBe('succeeded');
    const recorded = await withDb(latestSchemaSnapshot);
    expect(recorded).toMatchObject({ head: result.headAfter, historyId: result.historyId });
    expect(recorded!.snapshot.tables.map((t) => t.name)).toContain('chat_messages');
    expect(recorded!.snapshot.tables.map((t) => t.name).filter((n) => n.startsWith('knex_') || n.startsWith('stepstone_'))).toEqual([]);
    const report = await withDb(detectDrift);
    expect(report).toMatchObject({ recordedAt: recorded!.recordedAt, head: result.headAfter, currentHead: result.headAfter, drifted: false, diff: { changes: [] } });
  });

  it('detects a column added by hand and an index dropped by hand', async () => {
    await query(database.url, 'alter table users add column nickname text');
    await query(database.url, 'drop index chat_messages_user_id_created_at_index');
    const report = await withDb(detectDrift);
    expect(report.drifted).toBe(true);
    expect(report.diff.changes).toEqual([
      expect.objectContaining({ kind: 'index', name: 'public.chat_messages.chat_messages_user_id_created_at_index', change: 'removed' }),
      expect.objectContaining({ kind: 'column', name: 'public.users.nickname', change: 'added' }),
    ]);
  });

  const extra = migrationsFolder({
      '20990101000000_extra.js': `exports.up = (knex) => knex.schema.createTable('extra', (t) => t.increments());
exports.down = (knex) => knex.schema.dropTable('extra');`,
  });

  it('takes the next run as the new reference', async () => {
    const dir = extra;
    await withDb(async (db) => executePlan(db, await makePlan(db, { kind: 'upgrade' })), [SAMPLE_MIGRATIONS, dir]);
    expect((await withDb(detectDrift, [SAMPLE_MIGRATIONS, dir])).drifted).toBe(false);
  });

  it('a failed recording is logged, not fatal', async () => {
    const dir = migrationsFolder({
      '20990201000000_more.js': `exports.up = (knex) => knex.schema.createTable('more', (t) => t.increments());
exports.down = (knex) => knex.schema.dropTable('more');`,
    });
    await query(database.url, 'alter table stepstone_schema_snapshots add constraint no_more check (false) not valid');
    try {
      const events: ProgressEvent[] = [];
      const result = await withDb(async (db) => executePlan(db, await makePlan(db, { kind: 'upgrade' }), { onProgress: (e) => events.push(e) }), [SAMPLE_MIGRATIONS, extra, dir]);
      expect(result.outcome).toBe('succeeded');
      expect(events).toContainEqual(expect.objectContaining({ type: 'log', level: 'warn', message: expect.stringMatching(/Could not record the schema snapshot.*no_more/) }));
    } finally {
      await query(database.url, 'alter table stepstone_schema_snapshots drop constraint no_more');
    }
  });
});
