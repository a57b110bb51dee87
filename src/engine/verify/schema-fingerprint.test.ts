// The fingerprinter renders again only the relations whose catalog rows changed: after every kind of
// change (in one transaction with savepoints, as the stairway climbs, and across commits) its answer
// must be the one a fingerprinter that remembers nothing gives, and must tell the states apart.
import { PGlite } from '@electric-sql/pglite';
import knexFactory, { type Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/database';
import { SchemaFingerprinter } from './schema-fingerprint';

let db: TestDatabase;
let knex: Knex;
beforeAll(async () => {
  db = await createTestDatabase('fingerprint');
  knex = knexFactory({ client: 'pg', connection: db.url, pool: { min: 1, max: 2 } });
});
afterAll(async () => {
  await knex?.destroy();
  await db?.drop();
});

describe('SchemaFingerprinter', () => {
  it('remembers nothing stale: each change (also one undone in the same subtransaction) gives what a fresh fingerprinter gives', async () => {
    const remembering = new SchemaFingerprinter();
    const seen: string[] = [];
    await knex.transaction(async (trx) => {
      const check = async (label: string): Promise<string> => {
        const cached = await remembering.fingerprint(trx);
        expect(cached, label).toBe(await new SchemaFingerprinter().fingerprint(trx));
        seen.push(cached);
        return cached;
      };
      const empty = await check('empty');
      await trx.raw(`create table a (id serial primary key, name text not null default 'x'); create table b (id serial primary key, a_id integer references a (id))`);
      const tables = await check('two tables');
      expect(tables).not.toBe(empty);
      // A rename of a column another table's foreign key names changes that table's text too.
      await trx.raw('savepoint s1');
      await trx.raw('alter table a rename column id to key');
      const renamed = await check('column renamed');
      expect(renamed).not.toBe(tables);
      await trx.raw('alter table a rename column key to id');
      expect(await check('renamed back in the same subtransaction')).toBe(tables);
      await trx.raw('alter table a rename to a2');
      const tableRenamed = await check('table renamed');
      expect(tableRenamed).not.toBe(tables);
      await trx.raw('rollback to savepoint s1');
      expect(await check('rolled back')).toBe(tables);
      // Comments, defaults, sequences, indexes, views, types, functions and triggers.
      const changes = [
        `comment on column a.name is 'the name'`,
        `alter table a alter column name set default 'y'`,
        'alter sequence a_id_seq increment by 5',
        'create index a_name on a (name)',
        'create view v as select id, name from a',
        `create type mood as enum ('ok', 'sad'); alter table b add column m mood`,
        `create function touch() returns trigger language plpgsql as $$ begin return new; end $$; create trigger b_touch before update on b for each row execute function touch()`,
        'alter table b drop constraint b_a_id_fkey',
        'alter table b drop column a_id',
      ];
      const states = [tables];
      for (const [i, sql] of changes.entries()) {
        await trx.raw(`savepoint c${i}`);
        await trx.raw(sql);
        states.push(await check(sql));
      }
      expect(new Set(states).size).toBe(states.length);
      // A view's text follows the columns it reads; an enum's rename shows in the columns using it.
      await trx.raw('alter table a rename column name to title');
      expect(await check('view column renamed')).not.toBe(states.at(-1));
      await trx.raw(`alter type mood rename to feeling`);
      await check('type renamed');
      for (let i = changes.length - 1; i >= 0; i--) {
        await trx.raw(`rollback to savepoint c${i}`);
        expect(await check(`undone: ${changes[i]}`)).toBe(states[i]);
      }
    });
    // Committed work seen by another connection of the same fingerprinter.
    await knex.raw('create table c (id serial primary key, b_id integer references b (id))');
    const committed = await remembering.fingerprint(knex);
    expect(committed).toBe(await new SchemaFingerprinter().fingerprint(knex));
    await knex.raw('drop table c');
    expect(await remembering.fingerprint(knex)).toBe(await new SchemaFingerprinter().fingerprint(knex));
    expect(seen.length).toBeGreaterThan(10);
  });
});

describe('SchemaFingerprinter on PGlite', () => {
  it('gives what a fresh fingerprinter gives, and sees a change', async () => {
    const pglite = new PGlite();
    const lite = knexFactory({ client: ClientPgLite, dialect: 'postgres', connection: () => ({ pglite }) } as unknown as Knex.Config);
    try {
      const remembering = new SchemaFingerprinter();
      await lite.raw('create table a (id serial primary key, name text)');
      const before = await remembering.fingerprint(lite);
      expect(before).toBe(await new SchemaFingerprinter().fingerprint(lite));
      await lite.raw('alter table a add column note text');
      const after = await remembering.fingerprint(lite);
      expect(after).not.toBe(before);
      expect(after).toBe(await new SchemaFingerprinter().fingerprint(lite));
    } finally {
      await lite.destroy();
    }
  }, 300_000); // PGlite's first start (WASM) takes a minute on a busy machine
});
