// Who holds the lock: only Stepstone's or Knex's runs in this database count.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/database';
import { migrationsFolder, tableMigration, targetFor } from '../../../test/targets';
import { openDatabase } from '../database/open-database';
import { makePlan } from '../plan/make-plan';
import { executePlan } from '../run/execute-plan';
import { getStatus } from '../status/get-status';
import { acquireAdvisoryLock } from './advisory-lock';

describe('lock holders', () => {
  const dir = migrationsFolder({ '20250101000000_l.js': tableMigration('s_l') });

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
});
