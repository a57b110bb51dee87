import knex, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/database';
import type { SchemaChange, SchemaDiff, SchemaSnapshot } from '../../shared/schema';
import { diffSchemas } from './diff-schemas';
import { FIXTURE_SCHEMA_SQL } from './fixture-schema';
import { introspectSchema } from './introspect-schema';
import { renderSchemaDiff, summarizeSchemaDiff } from './render-schema-diff';

let database: TestDatabase;
let db: Knex;
let before: SchemaSnapshot;
let after: SchemaSnapshot;
let diff: SchemaDiff;

const CHANGES_SQL = `
alter table public.users add column nickname varchar(40) not null default 'anon';
alter table public.users alter column display_name type varchar(320) collate "C";
alter table public.users drop column avatar;
alter table public.users alter column updated_at set not null;
drop index public.users_settings_idx;
create index users_nickname_idx on public.users (nickname);
alter type public.mood add value 'excited' after 'happy';
alter table public.rooms drop constraint rooms_owner_id_fkey;
alter table public.rooms add constraint rooms_owner_id_fkey foreign key (owner_id) references public.users (id) on delete cascade;
create table public.audit (id bigint generated always as identity primary key, note text);
drop table public."odd ""name"" table";
alter sequence billing.invoice_number_seq increment by 5;
create or replace view public.active_users as
  select id, email, mood, created_at from public.users where updated_at is not null;
create or replace function public.slugify(value text, max_length integer default 40) returns text
  language sql immutable strict
  as $$ select left(lower(regexp_replace(value, '[^a-z0-9]+', '_', 'g')), max_length) $$;
create function public.slugify(value text) returns text language sql as $$ select public.slugify(value, 40) $$;
drop trigger users_touch on public.users;
comment on table public.users is 'Accounts';
`;

beforeAll(async () => {
  database = await createTestDatabase('diff-schemas');
  db = knex({ client: 'pg', connection: database.url, pool: { min: 0, max: 2 } });
  await db.raw(FIXTURE_SCHEMA_SQL);
  before = await introspectSchema(db);
  await db.raw(CHANGES_SQL);
  after = await introspectSchema(db);
  diff = diffSchemas(before, after);
});

afterAll(async () => {
  await db?.destroy();
  await database?.drop();
});

function find(kind: SchemaChange['kind'], name: string): SchemaChange | undefined {
  return diff.changes.find((c) => c.kind === kind && c.name === name);
}

describe('diffSchemas', () => {
  it('finds nothing between equal snapshots', () => {
    expect(diffSchemas(before, structuredClone(before)).changes).toEqual([]);
  });

  it('compares a snapshot recorded before the later fields existed only on what both have', () => {
    // A drift reference recorded by an older version: no comments on types, indexes, constraints…, no domains list.
    const old = JSON.parse(JSON.stringify(before, (key, value) =>
      ['identitySequence', 'unlogged', 'options', 'schemaComments', 'domains', 'composites', 'ranges'].includes(key) ||
      (key === 'comment' && value === null) ? undefined : value)) as SchemaSnapshot;
    expect(old.domains).toBeUndefined();
    expect(diffSchemas(old, before).changes).toEqual([]);
    expect(diffSchemas(before, old).changes).toEqual([]);
    expect(renderSchemaDiff(diffSchemas(before, before))).toBe('No schema changes.');
  });

  it('reports added, removed and changed columns with the fields that changed', () => {
    expect(find('column', 'public.users.nickname')).toMatchObject({ change: 'added', after: { type: 'character varying(40)', nullable: false } });
    expect(find('column', 'public.users.avatar')).toMatchObject({ change: 'removed', before: { type: 'bytea' } });
    expect(find('column', 'public.users.display_name')).toMatchObject({
      change: 'changed',
      fields: ['type'],
      before: { type: 'character varying(80)' },
      after: { type: 'character varying(320)' },
    });
    expect(find('column', 'public.users.updated_at')?.fields).toEqual(['nullable']);
    expect(find('table', 'public.users')).toMatchObject({ change: 'changed', fields: ['comment'] });
  });

  it('reports indexes, constraints, enums, sequences, views, functions and triggers', () => {
    expect(find('index', 'public.users.users_settings_idx')?.change).toBe('removed');
    expect(find('index', 'public.users.users_nickname_idx')?.change).toBe('added');
    expect(find('constraint', 'public.rooms.rooms_owner_id_fkey')).toMatchObject({ change: 'changed', fields: ['definition', 'references'] });
    expect(find('enum', 'public.mood')).toMatchObject({ change: 'changed', fields: ['values'], after: { values: ['sad', 'ok', 'happy', 'excited'] } });
    expect(find('sequence', 'billing.invoice_number_seq')).toMatchObject({ change: 'changed', fields: ['increment'] });
    expect(find('view', 'public.active_users')).toMatchObject({ change: 'changed', fields: ['definition'] });
    expect(find('function', 'public.slugify(value text, max_length integer)')).toMatchObject({ change: 'changed', fields: ['definition'] });
    expect(find('function', 'public.slugify(value text)')?.change).toBe('added');
    expect(find('trigger', 'public.users.users_touch')?.change).toBe('removed');
  });

  it('reports new and dropped tables once, without listing their parts', () => {
    expect(find('table', 'public.audit')?.change).toBe('added');
    expect(find('table', 'public.odd "name" table')?.change).toBe('removed');
    expect(diff.changes.filter((c) => c.name.startsWith('public.audit.') || c.name.startsWith('public.odd'))).toHaveLength(1);
  });

  it('lists changes in a stable, grouped order', () => {
    const order = diff.changes.map((c) => `${c.change} ${c.kind} ${c.name}`);
    expect(order).toEqual([
      'changed enum public.mood',
      'changed sequence billing.invoice_number_seq',
      'added function public.slugify(value text)',
      'changed function public.slugify(value text, max_length integer)',
      'added table public.audit',
      'removed table public.odd "name" table',
      'changed constraint public.rooms.rooms_owner_id_fkey',
      'changed table public.users',
      'removed column public.users.avatar',
      'changed column public.users.display_name',
      'added column public.users.nickname',
      'changed column public.users.updated_at',
      'added index public.users.users_nickname_idx',
      'removed index public.users.users_settings_idx',
      'changed view public.active_users',
      'removed trigger public.users.users_touch',
    ]);
    expect(diffSchemas(before, after)).toEqual(diff);
  });

  it('renders one readable line per change and a summary', () => {
    const text = renderSchemaDiff(diff).split('\n');
    expect(text).toContain('~ column public.users.display_name: type character varying(80) → character varying(320)');
    expect(text).toContain('~ column public.users.updated_at: nullable yes → no');
    expect(text).toContain("+ column public.users.nickname: character varying(40) not null default 'anon'::character varying");
    expect(text).toContain('- index public.users.users_settings_idx: gin (settings)');
    expect(text).toContain("~ enum public.mood: values added 'excited'");
    expect(text).toContain('~ sequence billing.invoice_number_seq: increment 10 → 5');
    expect(text).toContain('~ view public.active_users: definition changed');
    expect(text).toContain('+ table public.audit: 2 columns');
    expect(text).toContain('~ table public.users: comment People who sign in → Accounts');
    expect(text).toHaveLength(diff.changes.length);
    expect(summarizeSchemaDiff(diff)).toBe('4 added, 8 changed, 4 removed');
  });
});
