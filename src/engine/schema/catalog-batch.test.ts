import knex, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/database';
import { knexPgClient } from '../connection/pg-client';
import { batchingQueryable, canBatch } from './catalog-batch';
import { queryRows } from './catalog-session';
import { introspectSchema } from './introspect-schema';

let database: TestDatabase;
let db: Knex;
const sent: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase('catalog-batch');
  db = knex({ client: 'pg', connection: database.url, pool: { min: 0, max: 1 } });
  db.on('query', (q: { sql: string }) => sent.push(q.sql));
});
afterAll(async () => {
  await db?.destroy();
  await database?.drop();
});

describe('batched catalog queries', () => {
  it('sends the queries issued together as one round trip and gives each its own rows', async () => {
    await db.transaction(async (trx) => {
      const batch = batchingQueryable(trx);
      sent.length = 0;
      const [a, b, c] = await Promise.all([
        queryRows<{ n: number }>(batch, 'select 1 as n'),
        queryRows<{ s: string }>(batch, `select ?::jsonb ->> 0 as s`, [JSON.stringify(["it's \\\\ odd"])]),
        queryRows<{ n: number }>(batch, 'select generate_series(1, 3) as n'),
      ]);
      expect(sent).toHaveLength(1);
      expect(a).toEqual([{ n: 1 }]);
      // The binding travels as a literal: quotes and backslashes intact.
      expect(b).toEqual([{ s: "it's \\\\ odd" }]);
      expect(c).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
      // A later query goes in the next round trip.
      expect(await queryRows(batch, 'select 2 as n')).toEqual([{ n: 2 }]);
      expect(sent).toHaveLength(2);
    });
  });

  it('fails every query of a batch with the error of the statement that failed', async () => {
    await expect(
      db.transaction(async (trx) => {
        const batch = batchingQueryable(trx);
        await Promise.all([queryRows(batch, 'select 1'), queryRows(batch, 'select * from no_such_table')]);
      }),
    ).rejects.toMatchObject({ code: '42P01' });
  });

  it('batches Knex’s pg client only', () => {
    expect(canBatch(db)).toBe(true);
    const pgliteLike = { client: { driverName: 'pg', config: { client: class ClientPGLite {} } } } as unknown as Knex;
    expect(canBatch(pgliteLike)).toBe(false);
  });

  it('batches on Stepstone’s own pg client too, and in its transactions (every engine connection uses it)', async () => {
    const own = knex({ client: await knexPgClient(), connection: database.url, pool: { min: 0, max: 1 } });
    try {
      expect(canBatch(own)).toBe(true);
      await own.transaction(async (trx) => expect(canBatch(trx)).toBe(true));
    } finally {
      await own.destroy();
    }
  });

  it('introspects a small schema in few round trips: the server version is read once per Knex, the settings travel with the count', async () => {
    await db.raw('create table if not exists counted (id int primary key, name text)');
    const first = await introspectSchema(db);
    sent.length = 0;
    const again = await introspectSchema(db);
    expect(again).toEqual(first);
    expect(again.tables.map((t) => t.name)).toContain('counted');
    // BEGIN; settings + relation count; every catalog read at once; COMMIT.
    expect(sent).toHaveLength(4);
    sent.length = 0;
    await db.transaction(async (trx) => {
      expect(await introspectSchema(trx)).toEqual(first);
    });
    // BEGIN; savepoint + settings; the reads; back to the savepoint; COMMIT.
    expect(sent).toHaveLength(5);
  });

  it('prepares the catalog statements once per connection and reads the catalog as it is now on every later run', async () => {
    await db.transaction(async (trx) => {
      const before = await introspectSchema(trx);
      const prepared = await queryRows<{ n: number }>(trx, `select count(*)::int as n from pg_prepared_statements where name like 'stepstone\\_catalog\\_%'`);
      expect(prepared[0].n).toBeGreaterThan(5);
      sent.length = 0;
      await trx.raw('create table prepared_sees_me (id int primary key)');
      const after = await introspectSchema(trx);
      expect(after.tables.map((t) => t.name)).toEqual([...before.tables.map((t) => t.name), 'prepared_sees_me'].sort());
      // Executed by name, not prepared again.
      expect(sent.filter((q) => /\bprepare stepstone_catalog_/.test(q))).toEqual([]);
      expect(sent.some((q) => /\bexecute stepstone_catalog_/.test(q))).toBe(true);
      throw new Error('roll back');
    }).catch((error: Error) => {
      if (error.message !== 'roll back') throw error;
    });
    // A statement the server no longer has (a pooler reset the session) is prepared again.
    await db.raw('deallocate all');
    expect((await introspectSchema(db)).tables.map((t) => t.name)).toContain('counted');
  });
});
