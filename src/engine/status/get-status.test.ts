import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync, writeFileSync, appendFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { createTestDatabase, query, type TestDatabase } from '../../../test/database';
import { migrationsFolder, tableMigration, targetFor } from '../../../test/targets';
import { openDatabase, type Db } from '../database/open-database';
import { makePlan } from '../plan/make-plan';
import { executePlan } from '../run/execute-plan';
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
