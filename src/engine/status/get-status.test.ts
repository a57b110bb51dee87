import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync, writeFileSync, appendFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import pg from 'pg';
import { createTestDatabase, query, type TestDatabase } from '../../../test/database';
import { migrationsFolder, tableMigration, targetFor } from '../../../test/targets';
import { openDatabase, type Db } from '../database/open-database';
import { makePlan } from '../plan/make-plan';
import { executePlan } from '../run/execute-plan';
import { listHistory } from '../history/history-log';
import { releaseLock } from '../lock/release-lock';
import { acquireAdvisoryLock } from '../lock/advisory-lock';
import { getStatus } from './get-status';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('status');
});
afterAll(async () => {
  await database?.drop();
});

async function withDb<T>(dir: string, fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await openDatabase(targetFor(database.url, [dir]));
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

describe('status flags', () => {
  const dir = migrationsFolder({
    '20250101000000_a.js': tableMigration('s_a'),
    '20250103000000_c.js': tableMigration('s_c'),
  });

  it('reports missing, edited, out of order and unchecked migrations', async () => {
    await withDb(dir, async (db) => executePlan(db, await makePlan(db, { kind: 'upgrade' })));
    // A migration applied by another tool (no Stepstone checksum).
    await query(database.url, "insert into knex_migrations (name, batch, migration_time) values ('20250104000000_other.js', 2, now())");
    writeFileSync(join(dir, '20250104000000_other.js'), tableMigration('s_other'));
    // Merged branch: older than the newest applied one.
    writeFileSync(join(dir, '20250102000000_b.js'), tableMigration('s_b'));
    // Edited after being applied.
    appendFileSync(join(dir, '20250103000000_c.js'), '\n// edited\n');
    const status = await withDb(dir, getStatus);
    expect(status.edited).toEqual(['20250103000000_c.js']);
    expect(status.outOfOrder).toEqual(['20250102000000_b.js']);
    expect(status.unchecked).toEqual(['20250104000000_other.js']);
    expect(status.head).toBe('20250104000000_other.js');
    rmSync(join(dir, '20250101000000_a.js'));
    const after = await withDb(dir, getStatus);
    expect(after.missing).toEqual(['20250101000000_a.js']);
    await expect(withDb(dir, (db) => makePlan(db, { kind: 'upgrade' }))).rejects.toMatchObject({ code: 'MIGRATIONS_MISSING' });
  });

  it('is read-only: a READ ONLY transaction, nothing created', async () => {
    const fresh = await createTestDatabase('status_ro');
    try {
      const db = await openDatabase(targetFor(fresh.url, [dir]));
      await getStatus(db).finally(() => db.close());
      expect(await query(fresh.url, "select 1 from pg_tables where schemaname = 'public'")).toEqual([]);
    } finally {
      await fresh.drop();
    }
  });
});

describe('bad input', () => {
  it('names a missing folder, an empty one, a syntax error, a non-migration and an unknown target', async () => {
    const own = await createTestDatabase('status_bad');
    const withDb = async <T>(dir: string, fn: (db: Db) => Promise<T>): Promise<T> => {
      const db = await openDatabase(targetFor(own.url, [dir]));
      return fn(db).finally(() => db.close());
    };
    await expect(withDb('/nonexistent/migrations', getStatus)).rejects.toMatchObject({ code: 'MIGRATIONS_DIR_MISSING' });
    const empty = mkdtempSync(join(tmpdir(), 'stepstone-empty-'));
    const status = await withDb(empty, getStatus);
    expect(status.pending).toEqual([]);
    const broken = migrationsFolder({ '20250101000000_broken.ts': 'export async function up(knex) { knex.schema.createTable( }\nexport async function down() {}' });
    await expect(withDb(broken, (db) => makePlan(db, { kind: 'upgrade' }))).rejects.toMatchObject({ code: 'MIGRATION_LOAD_FAILED', message: expect.stringContaining('20250101000000_broken.ts') });
    const notMigration = migrationsFolder({ '20250101000000_helpers.js': 'exports.slug = (s) => s;' });
    await expect(withDb(notMigration, (db) => makePlan(db, { kind: 'upgrade' }))).rejects.toMatchObject({ code: 'MIGRATION_INVALID' });
    const ok = migrationsFolder({ '20250101000000_x.js': tableMigration('s_x') });
    await expect(withDb(ok, (db) => makePlan(db, { kind: 'upgrade', to: '20250101000000_nope' }))).rejects.toMatchObject({ code: 'MIGRATION_NOT_FOUND' });
    // Nothing was created by any of it.
    expect(await query(own.url, "select 1 from pg_tables where schemaname = 'public'")).toEqual([]);
    await own.drop();
  });
});

describe('locks', () => {
  const dir = migrationsFolder({ '20250101000000_l.js': tableMigration('s_l') });

  it('tells a stale lock from a live one, unlocks only a stale one and records it', async () => {
    const lockdb = await createTestDatabase('status_lock');
    const target = targetFor(lockdb.url, [dir]);
    const db = await openDatabase(target);
    try {
      await executePlan(db, await makePlan(db, { kind: 'upgrade' }));
      await query(lockdb.url, 'update knex_migrations_lock set is_locked = 1');
      expect((await getStatus(db)).lock).toMatchObject({ locked: true, state: 'stale' });
      await expect(executePlan(db, await makePlan(db, { kind: 'rollback', mode: 'all' }))).rejects.toMatchObject({ code: 'LOCKED' });
      // A live holder: another session keeps the lock row locked inside a transaction, as a running knex does.
      const other = new pg.Client({ connectionString: lockdb.url, application_name: 'knex migrate:latest' });
      await other.connect();
      await other.query('begin');
      await other.query('select * from knex_migrations_lock for update');
      const live = await getStatus(db);
      expect(live.lock.state).toBe('live');
      expect(live.lock.holders[0].applicationName).toBe('knex migrate:latest');
      await expect(releaseLock(db)).rejects.toMatchObject({ code: 'LOCK_LIVE' });
      await other.query('rollback');
      await other.end();
      const released = await releaseLock(db);
      expect(released).toMatchObject({ locked: false, state: 'free' });
      const history = await listHistory(db, { operation: 'unlock' });
      expect(history).toHaveLength(1);
      // The head is where it was: the history must not say the unlock emptied the database.
      expect(history[0]).toMatchObject({ headBefore: '20250101000000_l.js', headAfter: '20250101000000_l.js' });
      await expect(releaseLock(db)).rejects.toMatchObject({ code: 'NOT_LOCKED' });
    } finally {
      await db.close();
      await lockdb.drop();
    }
  });

  it('ignores runs in other databases and plain readers of the ledger', async () => {
    const mine = await createTestDatabase('status_lock_mine');
    const elsewhere = await createTestDatabase('status_lock_other');
    const db = await openDatabase(targetFor(mine.url, [dir]));
    const otherDb = await openDatabase(targetFor(elsewhere.url, [dir]));
    const reader = new pg.Client({ connectionString: mine.url });
    try {
      await executePlan(db, await makePlan(db, { kind: 'upgrade' }));
      // A run in another database of the same server holds the same advisory key there.
      const held = await acquireAdvisoryLock(otherDb, 'upgrade');
      try {
        expect((await getStatus(otherDb)).lock.state).toBe('live');
        expect((await getStatus(db)).lock).toMatchObject({ locked: false, state: 'free' });
      } finally {
        await held.release();
      }
      // A session reading the ledger inside a transaction is not a migration.
      await reader.connect();
      await reader.query('begin');
      await reader.query('select count(*) from knex_migrations');
      expect((await getStatus(db)).lock).toMatchObject({ locked: false, state: 'free' });
      await reader.query('rollback');
    } finally {
      await reader.end().catch(() => {});
      await db.close();
      await otherDb.close();
      await mine.drop();
      await elsewhere.drop();
    }
  });

  it('two sessions upgrading at once: each migration applied exactly once, the loser told why', async () => {
    const racedb = await createTestDatabase('status_race');
    const slow = migrationsFolder({
      '20250101000000_slow.js': `exports.up = async (knex) => { await knex.raw('select pg_sleep(0.5)'); await knex.schema.createTable('slow', (t) => t.increments()); };
exports.down = (knex) => knex.schema.dropTable('slow');`,
    });
    const a = await openDatabase(targetFor(racedb.url, [slow]));
    const b = await openDatabase(targetFor(racedb.url, [slow]));
    try {
      const [planA, planB] = [await makePlan(a, { kind: 'upgrade' }), await makePlan(b, { kind: 'upgrade' })];
      const results = await Promise.allSettled([executePlan(a, planA), executePlan(b, planB)]);
      const fulfilled = results.filter((r) => r.status === 'fulfilled');
      const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(fulfilled).toHaveLength(1);
      expect(rejected).toHaveLength(1);
      expect(['LOCKED', 'PLAN_STALE']).toContain(rejected[0].reason.code);
      expect(rejected[0].reason.message).toMatch(/another process|changed since/i);
      expect(await query(racedb.url, 'select name from knex_migrations')).toHaveLength(1);
    } finally {
      await a.close();
      await b.close();
      await racedb.drop();
    }
  });
});
