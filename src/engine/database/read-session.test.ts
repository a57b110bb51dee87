import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import pg from 'pg';
import { createTestDatabase, query, type TestDatabase } from '../../../test/database';
import { migrationsFolder, tableMigration, targetFor } from '../../../test/targets';
import { openDatabase } from './open-database';
import { openReadSession } from './read-session';
import { numberPlaceholders } from './sql-reader';
import { makePlan } from '../plan/make-plan';
import { executePlan } from '../run/execute-plan';
import { getStatus } from '../status/get-status';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('read_session');
});
afterAll(async () => {
  await database?.drop();
});

describe('read session (bare pg connection, no Knex)', () => {
  it('gives the same status as a full session, flags and lock included', async () => {
    const dir = migrationsFolder({
      '20250101000000_a.js': tableMigration('rs_a'),
      '20250103000000_c.js': tableMigration('rs_c'),
    });
    const target = targetFor(database.url, [dir]);
    const db = await openDatabase(target);
    try {
      await executePlan(db, await makePlan(db, { kind: 'upgrade' }));
    } finally {
      await db.close();
    }
    writeFileSync(join(dir, '20250102000000_b.js'), tableMigration('rs_b'));
    appendFileSync(join(dir, '20250103000000_c.js'), '\n// edited\n');
    await query(database.url, 'update knex_migrations_lock set is_locked = 1');

    const full = await openDatabase(target);
    const read = await openReadSession(target, { operation: 'status' });
    try {
      const [viaKnex, viaPg] = [await getStatus(full), await getStatus(read)];
      expect(viaPg).toEqual(viaKnex);
      expect(viaPg).toMatchObject({ edited: ['20250103000000_c.js'], outOfOrder: ['20250102000000_b.js'], head: '20250103000000_c.js' });
      expect(viaPg.lock).toMatchObject({ locked: true, state: 'stale' });

      // A live holder (a session locking the lock row in a transaction) is seen through the read session too.
      const other = new pg.Client({ connectionString: database.url, application_name: 'knex migrate:latest' });
      await other.connect();
      try {
        await other.query('begin');
        await other.query('select * from knex_migrations_lock for update');
        const live = await getStatus(read);
        expect(live.lock.state).toBe('live');
        expect(live.lock.holders.map((h) => h.applicationName)).toEqual(['knex migrate:latest']);
      } finally {
        await other.end();
      }
    } finally {
      await full.close();
      await read.close();
      await query(database.url, 'update knex_migrations_lock set is_locked = 0');
    }
  });

  it('reads inside a READ ONLY transaction and leaves none open after a failure', async () => {
    const read = await openReadSession(targetFor(database.url, [migrationsFolder({})]));
    try {
      await expect(read.readOnly((sql) => sql.query('create table rs_nope (id int)'))).rejects.toMatchObject({ code: '25006' });
      // The failed transaction was rolled back: the connection reads again.
      expect(await read.readOnly((sql) => sql.query<{ n: number }>('select ?::int as n', [7]))).toEqual([{ n: 7 }]);
      expect(await query(database.url, "select 1 from pg_tables where tablename = 'rs_nope'")).toEqual([]);
    } finally {
      await read.close();
    }
  });

  it('turns a refused connection into a typed error', async () => {
    // A port nobody listens on: bind one, close it, connect to it.
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    await expect(openReadSession(targetFor(`postgres://postgres@127.0.0.1:${port}/nowhere?sslmode=disable`))).rejects.toMatchObject({
      code: 'CONNECTION_REFUSED',
    });
  });

  it('numbers Knex-style placeholders for pg', () => {
    expect(numberPlaceholders('select ?::int, ? from t where a = ?')).toBe('select $1::int, $2 from t where a = $3');
  });
});
