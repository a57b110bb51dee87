// The advisory lock serialises runs: two sessions upgrading at once apply each migration once.
import { describe, expect, it } from 'vitest';
import { createTestDatabase, query } from '../../../test/database';
import { migrationsFolder, targetFor } from '../../../test/targets';
import { openDatabase } from '../database/open-database';
import { makePlan } from '../plan/make-plan';
import { executePlan } from '../run/execute-plan';

describe('advisory lock', () => {
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
