// The same introspection and DDL on PGlite (PostgreSQL 18 in WASM, one connection, through knex-pglite).
import { PGlite } from '@electric-sql/pglite';
import knex, { type Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SchemaSnapshot } from '../../shared/schema';
import { diffSchemas } from './diff-schemas';
import { FIXTURE_SCHEMA_SQL } from './fixture-schema';
import { introspectSchema } from './introspect-schema';
import { renderSchemaDdl } from './render-schema-ddl';

function connect(pglite: PGlite): Knex {
  // knex-pglite takes an existing instance through a connection function (untyped in its d.ts).
  return knex({ client: ClientPgLite, dialect: 'postgres', connection: () => ({ pglite }) } as unknown as Knex.Config);
}

let source: PGlite;
let db: Knex;
let snapshot: SchemaSnapshot;

beforeAll(async () => {
  source = new PGlite();
  // exec() takes many statements at once; knex-pglite's raw() runs one prepared statement.
  await source.exec(FIXTURE_SCHEMA_SQL);
  db = connect(source);
  snapshot = await introspectSchema(db);
});

afterAll(async () => {
  await db?.destroy();
});

describe('introspectSchema on PGlite', () => {
  it('captures the fixture (and not PostgreSQL 18 NOT NULL constraints as constraints)', () => {
    expect(snapshot.schemas).toEqual(['billing', 'public']);
    expect(snapshot.tables.map((t) => t.name)).toEqual(['invoices', 'bookings', 'odd "name" table', 'rooms', 'sessions', 'users']);
    const users = snapshot.tables.find((t) => t.name === 'users');
    expect(users?.constraints.map((c) => c.kind).sort()).toEqual(['check', 'primary', 'unique']);
    expect(users?.columns.find((c) => c.name === 'slug')).toMatchObject({ generatedKind: 'stored', generated: 'public.slugify(email, 40)' });
    expect(snapshot.enums.find((e) => e.name === 'mood')?.values).toEqual(['sad', 'ok', 'happy']);
    expect(snapshot.views.map((v) => v.name)).toEqual(['totals', 'a_recent_happy', 'active_users', 'checked_rooms', 'happy_active_users', 'safe_users']);
    expect(snapshot.domains?.map((d) => d.name)).toEqual(['amount', 'email_address']);
    expect(snapshot.triggers).toHaveLength(2);
    expect(snapshot.unsupported).toEqual([]);
  });

  it('works inside a transaction and round-trips through the rendered DDL', async () => {
    await db.transaction(async (trx) => {
      await trx.raw('create table public.only_here (id int)');
      const inside = await introspectSchema(trx);
      expect(inside.tables.some((t) => t.name === 'only_here')).toBe(true);
      await trx.raw('drop table public.only_here');
    });

    const target = connect(new PGlite());
    try {
      const ddl = renderSchemaDdl(snapshot);
      await target.transaction(async (trx) => {
        for (const sql of [...ddl.preData, ...ddl.postData]) await trx.raw(sql);
      });
      const copy = await introspectSchema(target);
      expect(diffSchemas(snapshot, copy).changes).toEqual([]);
    } finally {
      await target.destroy();
    }
  });
});
