// Unlocking: a stale lock is released (and recorded), a live one only when forced, a free one refused.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createTestDatabase, query } from '../../../test/database';
import { migrationsFolder, tableMigration, targetFor } from '../../../test/targets';
import { openDatabase } from '../database/open-database';
import { listHistory } from '../history/history-log';
import { makePlan } from '../plan/make-plan';
import { executePlan } from '../run/execute-plan';
import { getStatus } from '../status/get-status';
import { releaseLock } from './release-lock';

describe('releaseLock', () => {
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
});
