import knex, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/database';
import type { SchemaSnapshot, Table } from '../../shared/schema';
import { FIXTURE_SCHEMA_SQL } from './fixture-schema';
import { introspectSchema } from './introspect-schema';

let database: TestDatabase;
let db: Knex;
let snapshot: SchemaSnapshot;

beforeAll(async () => {
  database = await createTestDatabase('introspect-schema');
  db = knex({ client: 'pg', connection: database.url, pool: { min: 0, max: 2 } });
  await db.raw(FIXTURE_SCHEMA_SQL);
  snapshot = await introspectSchema(db);
});

afterAll(async () => {
  await db?.destroy();
  await database?.drop();
});

function table(name: string, schema = 'public'): Table {
  const found = snapshot.tables.find((t) => t.schema === schema && t.name === name);
  if (!found) throw new Error(`no table ${schema}.${name} in snapshot`);
  return found;
}

describe('introspectSchema', () => {
  it('lists user schemas only, sorted', () => {
    expect(snapshot.schemas).toEqual(['billing', 'public']);
    expect(snapshot.tables.map((t) => `${t.schema}.${t.name}`)).toEqual([
      'billing.invoices',
      'public.bookings',
      'public.odd "name" table',
      'public.rooms',
      'public.sessions',
      'public.users',
    ]);
    expect(snapshot.schemaComments).toEqual({ billing: 'Money matters', public: 'standard public schema' });
  });

  it('reads columns with types, nullability, defaults, identity, generated expressions, collations and comments', () => {
    const users = table('users');
    expect(users.comment).toBe('People who sign in');
    const column = (name: string) => users.columns.find((c) => c.name === name);
    expect(users.columns.map((c) => c.name)).toEqual([
      'id', 'public_id', 'email', 'display_name', 'mood', 'tags', 'settings', 'balance', 'avatar', 'created_at', 'updated_at', 'slug',
    ]);
    expect(column('id')).toMatchObject({ type: 'bigint', nullable: false, identity: 'always', default: null });
    expect(column('public_id')).toMatchObject({ type: 'uuid', default: 'gen_random_uuid()' });
    expect(column('email')).toMatchObject({ type: 'text', nullable: false, comment: 'Lower-case, unique' });
    expect(column('display_name')).toMatchObject({ type: 'character varying(80)', nullable: true, collation: 'pg_catalog."C"' });
    expect(column('mood')).toMatchObject({ type: 'public.mood', default: "'ok'::public.mood" });
    expect(column('tags')?.type).toBe('text[]');
    expect(column('balance')?.type).toBe('numeric(12,2)');
    expect(column('created_at')?.type).toBe('timestamp with time zone');
    expect(column('slug')).toMatchObject({ generated: 'public.slugify(email, 40)', generatedKind: 'stored', default: null });
    expect(table('bookings').columns[0]).toMatchObject({ name: 'id', identity: 'by default' });
    expect(table('invoices', 'billing').columns.find((c) => c.name === 'state')?.type).toBe('billing."Invoice State"');
  });

  it('reads primary key, unique, check, exclusion and foreign key constraints with actions', () => {
    const bookings = table('bookings');
    const byName = Object.fromEntries(bookings.constraints.map((c) => [c.name, c]));
    expect(bookings.constraints.map((c) => c.name)).toEqual([...bookings.constraints.map((c) => c.name)].sort());
    expect(byName.bookings_pkey).toMatchObject({ kind: 'primary', columns: ['id'], definition: 'PRIMARY KEY (id)' });
    expect(byName.bookings_no_overlap).toMatchObject({ kind: 'exclusion', definition: 'EXCLUDE USING gist (during WITH &&)' });
    expect(byName.bookings_room_fk).toMatchObject({
      kind: 'foreign',
      columns: ['room_id'],
      references: { schema: 'public', table: 'rooms', columns: ['id'], onUpdate: 'restrict', onDelete: 'cascade' },
    });
    expect(byName.bookings_user_fk.definition).toContain('DEFERRABLE INITIALLY DEFERRED');
    expect(table('rooms').constraints.find((c) => c.name === 'rooms_owner_id_fkey')?.references?.onDelete).toBe('set null');
    expect(table('rooms').constraints.find((c) => c.name === 'rooms_name_check')?.definition).toMatch(/NOT VALID$/);
    expect(table('users').constraints.find((c) => c.kind === 'check')?.columns).toEqual(['balance']);
    expect(table('invoices', 'billing').constraints.find((c) => c.kind === 'unique')?.columns).toEqual(['number', 'state']);
  });

  it('reads indexes: method, keys and expressions, predicates, uniqueness and backing constraints', () => {
    const indexes = Object.fromEntries(table('users').indexes.map((i) => [i.name, i]));
    expect(indexes.users_lower_email_idx).toMatchObject({ unique: true, method: 'btree', keys: ['lower(email)'], constraint: null });
    expect(indexes.users_active_idx).toMatchObject({ predicate: 'updated_at IS NOT NULL', keys: ['created_at'] });
    expect(indexes.users_active_idx.definition).toContain('(created_at DESC) WHERE');
    expect(indexes.users_settings_idx.method).toBe('gin');
    expect(indexes.users_pkey).toMatchObject({ primary: true, constraint: 'users_pkey' });
    expect(indexes.users_email_key.constraint).toBe('users_email_key');
    const bookings = Object.fromEntries(table('bookings').indexes.map((i) => [i.name, i]));
    expect(bookings.bookings_no_overlap).toMatchObject({ method: 'gist', constraint: 'bookings_no_overlap' });
    expect(bookings.bookings_room_user_idx.keys).toEqual(['room_id', 'user_id']);
    expect(bookings.bookings_room_user_idx.definition).toContain('INCLUDE (during)');
  });

  it('reads enums in label order, sequences with options and owners', () => {
    expect(snapshot.enums).toEqual([
      { schema: 'billing', name: 'Invoice State', values: ['draft', 'sent', 'paid'], comment: null },
      { schema: 'public', name: 'mood', values: ['sad', 'ok', 'happy'], comment: 'How a user feels' },
    ]);
    const numbers = snapshot.sequences.find((s) => s.name === 'invoice_number_seq');
    expect(numbers).toEqual({
      schema: 'billing', name: 'invoice_number_seq', dataType: 'integer', start: '1000', increment: '10', min: '1000',
      max: '999999', cycle: true, cache: '5', ownedBy: { table: 'invoices', column: 'number' }, comment: 'Invoice numbers',
    });
    expect(snapshot.sequences.find((s) => s.name === 'rooms_id_seq')?.ownedBy).toEqual({ table: 'rooms', column: 'id' });
    // Identity columns' sequences belong to the column, not the list.
    expect(snapshot.sequences.some((s) => s.name.startsWith('users_id') || s.name.startsWith('bookings_id'))).toBe(false);
  });

  it('reads views and materialized views with definitions, dependencies and indexes', () => {
    const views = Object.fromEntries(snapshot.views.map((v) => [`${v.schema}.${v.name}`, v]));
    expect(Object.keys(views)).toEqual([
      'billing.totals', 'public.a_recent_happy', 'public.active_users', 'public.checked_rooms', 'public.happy_active_users', 'public.safe_users',
    ]);
    expect(views['public.safe_users'].options).toEqual(['security_barrier=true']);
    expect(views['public.checked_rooms'].options).toEqual(['check_option=local']);
    expect(views['public.active_users']).toMatchObject({ materialized: false, comment: 'Users seen at least once', dependsOn: [] });
    expect(views['public.active_users'].definition).toMatch(/FROM public\.users\s+WHERE/);
    expect(views['public.active_users'].definition).not.toMatch(/;$/);
    expect(views['public.happy_active_users'].dependsOn).toEqual(['public.active_users']);
    expect(views['billing.totals'].materialized).toBe(true);
    expect(views['billing.totals'].indexes.map((i) => i.name)).toEqual(['totals_user_idx']);
  });

  it('reads functions and procedures with identity arguments, result, language, kind and comment', () => {
    const fns = Object.fromEntries(snapshot.functions.map((f) => [`${f.schema}.${f.name}`, f]));
    expect(fns['public.slugify']).toMatchObject({ arguments: 'value text, max_length integer', returns: 'text', language: 'sql', kind: 'function' });
    expect(fns['public.slugify'].definition).toMatch(/^CREATE OR REPLACE FUNCTION public\.slugify/);
    expect(fns['public.touch_updated_at']).toMatchObject({ returns: 'trigger', language: 'plpgsql', comment: 'Sets updated_at on every update' });
    expect(fns['billing.archive_paid']).toMatchObject({ kind: 'procedure', arguments: 'IN before_date date' });
  });

  it('reads user triggers only (not the internal ones behind foreign keys)', () => {
    expect(snapshot.triggers.map((t) => `${t.schema}.${t.table}.${t.name}`)).toEqual(['public.bookings.bookings_touch', 'public.users.users_touch']);
    expect(snapshot.triggers[0].definition).toContain('WHEN ((old.* IS DISTINCT FROM new.*))');
    expect(snapshot.triggers[1].comment).toBe('Keeps updated_at');
    expect(snapshot.unsupported).toEqual([]);
  });

  it('reads domains, composite and range types, and the options of tables, identity columns and comments on every kind', () => {
    expect(snapshot.domains).toEqual([
      {
        schema: 'billing', name: 'amount', type: 'numeric(12,2)', collation: null, default: null, notNull: false, comment: null,
        constraints: [
          { name: 'amount_below_max', definition: 'CHECK ((VALUE < (1000000)::numeric)) NOT VALID' },
          { name: 'amount_positive', definition: 'CHECK ((VALUE > (0)::numeric))' },
        ],
      },
      {
        schema: 'public', name: 'email_address', type: 'text', collation: 'pg_catalog."C"', default: "'nobody@example.com'::text", notNull: true,
        constraints: [{ name: 'email_has_at', definition: "CHECK ((VALUE ~~ '%@%'::text))" }], comment: 'An address with an @',
      },
    ]);
    expect(snapshot.composites).toEqual([
      {
        schema: 'public', name: 'address', comment: 'Postal address',
        attributes: [
          { name: 'street', type: 'text', collation: null },
          { name: 'city', type: 'character varying(80)', collation: 'pg_catalog."C"' },
          { name: 'zip', type: 'text', collation: null },
        ],
      },
    ]);
    expect(snapshot.ranges).toEqual([{ schema: 'public', name: 'float_range', subtype: 'double precision', comment: null }]);
    const sessions = table('sessions');
    expect(sessions).toMatchObject({ unlogged: true, options: ['fillfactor=70', 'autovacuum_enabled=false'] });
    expect(sessions.constraints[0]).toMatchObject({ name: 'sessions_pkey', comment: 'One row per token' });
    expect(table('users').unlogged).toBe(false);
    expect(table('users').indexes.find((i) => i.name === 'users_active_idx')?.comment).toBe('Recently active');
    expect(table('bookings').columns[0].identitySequence).toEqual({
      start: '100', increment: '1', min: '1', max: '2147483647', cycle: false, cache: '1',
    });
    expect(table('users').columns.find((c) => c.name === 'email')?.identitySequence).toBeNull();
  });

  it('gives the same snapshot twice and survives a JSON round trip', async () => {
    const again = await introspectSchema(db);
    expect(again).toEqual(snapshot);
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
  });

  it('limits to the named schemas and leaves out excluded tables with their triggers and owned sequences', async () => {
    const billing = await introspectSchema(db, { schemas: ['billing'] });
    expect(billing.schemas).toEqual(['billing']);
    expect(billing.tables.map((t) => t.name)).toEqual(['invoices']);
    expect(billing.enums.map((e) => e.name)).toEqual(['Invoice State']);
    expect(billing.functions.map((f) => f.name)).toEqual(['archive_paid']);

    const trimmed = await introspectSchema(db, { excludeTables: ['public.users', 'invoices'] });
    expect(trimmed.tables.map((t) => t.name)).toEqual(['bookings', 'odd "name" table', 'rooms', 'sessions']);
    expect(trimmed.triggers.map((t) => t.name)).toEqual(['bookings_touch']);
    expect(trimmed.sequences.map((s) => s.name)).toEqual(['rooms_id_seq']);
  });

  it('rejects malformed options with a clear error', async () => {
    await expect(introspectSchema(db, { schemas: [''] })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(introspectSchema(db, { excludeTables: 'users' as unknown as string[] })).rejects.toThrow(/excludeTables/);
  });

  it('works inside a transaction: sees its uncommitted changes and leaves its search_path and state alone', async () => {
    const trx = await db.transaction();
    try {
      await trx.raw('set local search_path = billing, public');
      await trx.raw('create table public.draft_only (id int)');
      const inside = await introspectSchema(trx);
      expect(inside.tables.some((t) => t.name === 'draft_only')).toBe(true);
      // Names stay schema-qualified even though billing is on this transaction's search_path.
      expect(inside.tables.find((t) => t.name === 'invoices')?.columns.find((c) => c.name === 'state')?.type).toBe('billing."Invoice State"');
      const [{ search_path }] = (await trx.raw('show search_path')).rows;
      expect(search_path).toBe('billing, public');
      // The transaction is still usable and still holds its work.
      await trx.raw('insert into public.draft_only values (1)');
    } finally {
      await trx.rollback();
    }
    const after = await introspectSchema(db);
    expect(after.tables.some((t) => t.name === 'draft_only')).toBe(false);
  });

  it('leaves extension-owned objects out and names what it does not capture', async () => {
    const [{ available }] = (await db.raw(`select count(*)::int as available from pg_available_extensions where name = 'citext'`)).rows;
    await db.raw('create schema extras');
    if (available) await db.raw('create extension citext with schema extras');
    await db.raw(`create domain extras.positive as integer check (value > 0);
      create table extras.secured (id int, note text);
      alter table extras.secured enable row level security;
      alter table extras.secured alter column note set storage external, alter column id set statistics 500;
      alter table extras.secured alter column note set compression pglz;
      create policy own_rows on extras.secured using (id > 0);
      grant select on extras.secured to public;
      grant update (note) on extras.secured to public;
      create index secured_id_idx on extras.secured (id);
      alter table extras.secured cluster on secured_id_idx;
      create view extras.v as select id from extras.secured;
      comment on column extras.v.id is 'not kept';
      create text search configuration extras.simple_copy (copy = pg_catalog.simple);
      grant usage on schema extras to public;`);
    try {
      const extras = await introspectSchema(db, { schemas: ['extras'] });
      if (available) {
        expect(extras.extensions).toEqual([expect.objectContaining({ name: 'citext', schema: 'extras' })]);
        expect(extras.functions).toEqual([]);
      }
      expect(extras.enums).toEqual([]);
      expect(extras.domains?.map((d) => d.name)).toEqual(['positive']);
      expect(extras.unsupported).toEqual([
        'CLUSTER ON extras.secured_id_idx (table secured)',
        'comments on columns of view extras.v',
        // One column with three settings left out (storage, compression, grants): each is named.
        'compression setting of column extras.secured.note',
        'grants on column extras.secured.note',
        'grants on extras.secured',
        'grants on schema extras',
        'policy own_rows on extras.secured',
        'row-level security on extras.secured',
        'statistics target of column extras.secured.id',
        'storage setting of column extras.secured.note',
        'text search configuration extras.simple_copy',
      ]);
    } finally {
      await db.raw('drop schema extras cascade');
    }
  });
});

describe('introspectSchema on several connections', () => {
  it('reads the same snapshot over its pool, inside a transaction and on a single connection', async () => {
    // `snapshot` (beforeAll) came from a pool of two: its reads ran on both connections.
    const inTransaction = await db.transaction((trx) => introspectSchema(trx));
    const single = knex({ client: 'pg', connection: database.url, pool: { min: 0, max: 1 } });
    const wide = knex({ client: 'pg', connection: database.url, pool: { min: 0, max: 8 } });
    try {
      expect(inTransaction).toEqual(snapshot);
      expect(await introspectSchema(single)).toEqual(snapshot);
      expect(await introspectSchema(wide)).toEqual(snapshot);
    } finally {
      await single.destroy();
      await wide.destroy();
    }
  });

  it('sees one moment: a table committed after its snapshot, before its other connections read, is not in it', async () => {
    // A schema big enough for the reads to be spread over connections (400 relations and more).
    const big = await createTestDatabase('introspect-many');
    const writer = knex({ client: 'pg', connection: big.url, pool: { min: 0, max: 1 } });
    await writer.raw(Array.from({ length: 210 }, (_, i) => `create table public.t${i} (id int primary key);`).join('\n'));
    // The first connection (the coordinator) opens at once; the others only once a table has been
    // created and committed after the coordinator exported its snapshot.
    let committed!: () => void;
    const written = new Promise<void>((resolve) => (committed = resolve));
    let opened = 0;
    const watched = knex({
      client: 'pg',
      connection: big.url,
      pool: {
        min: 0,
        max: 4,
        afterCreate: (conn: unknown, done: (error: Error | null, conn: unknown) => void) => {
          opened += 1;
          if (opened === 1) done(null, conn);
          else void written.then(() => done(null, conn));
        },
      },
    });
    watched.on('query-response', (_response: unknown, q: { sql: string }) => {
      if (q.sql.includes('pg_export_snapshot')) void writer.raw('create table public.appeared_midway (id int primary key)').then(() => committed());
    });
    try {
      const [before, result] = [await writer.transaction((trx) => introspectSchema(trx)), await introspectSchema(watched)];
      expect(opened).toBeGreaterThan(1);
      expect(result.tables.some((t) => t.name === 'appeared_midway')).toBe(false);
      expect(result).toEqual(before);
    } finally {
      await watched.destroy();
      await writer.destroy();
      await big.drop();
    }
  });
});
