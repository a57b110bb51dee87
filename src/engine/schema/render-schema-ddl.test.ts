import knex, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/database';
import type { SchemaSnapshot } from '../../shared/schema';
import { diffSchemas } from './diff-schemas';
import { FIXTURE_SCHEMA_SQL } from './fixture-schema';
import { introspectSchema } from './introspect-schema';
import { renderSchemaDdl } from './render-schema-ddl';

let original: TestDatabase;
let restored: TestDatabase;
let source: Knex;
let target: Knex;
let snapshot: SchemaSnapshot;

beforeAll(async () => {
  original = await createTestDatabase('ddl-original');
  restored = await createTestDatabase('ddl-restored');
  source = knex({ client: 'pg', connection: original.url, pool: { min: 0, max: 2 } });
  target = knex({ client: 'pg', connection: restored.url, pool: { min: 0, max: 2 } });
  await source.raw(FIXTURE_SCHEMA_SQL);
  snapshot = await introspectSchema(source);
});

afterAll(async () => {
  await source?.destroy();
  await target?.destroy();
  await original?.drop();
  await restored?.drop();
});

describe('renderSchemaDdl', () => {
  it('recreates the snapshot exactly in an empty database (pre-data, a row of data, post-data)', async () => {
    const ddl = renderSchemaDdl(snapshot);
    await target.transaction(async (trx) => {
      for (const sql of ddl.preData) await trx.raw(sql);
    });
    // Data loads between the two halves: rows that the post-data foreign keys and indexes then accept.
    await target.raw(`insert into public.users (email) values ('a@example.com')`);
    await target.raw(`insert into public.rooms (name, owner_id) values ('blue', 1)`);
    await target.transaction(async (trx) => {
      for (const sql of ddl.postData) await trx.raw(sql);
    });
    const copy = await introspectSchema(target);
    expect(diffSchemas(snapshot, copy).changes).toEqual([]);
    expect(copy).toEqual(snapshot);
    const [{ slug }] = (await target.raw(`select slug from public.users`)).rows;
    expect(slug).toBe('a-example-com');
  });

  it('puts data-independent objects before data and the rest after', () => {
    const { preData, postData } = renderSchemaDdl(snapshot);
    expect(preData[0]).toBe('set local check_function_bodies = false');
    const position = (list: string[], fragment: string) => list.findIndex((s) => s.includes(fragment));
    expect(position(preData, 'create type "public"."mood"')).toBeLessThan(position(preData, 'create table "public"."users"'));
    expect(position(preData, 'FUNCTION public.slugify')).toBeLessThan(position(preData, 'create table "public"."users"'));
    expect(position(preData, 'create view "public"."happy_active_users"')).toBeLessThan(position(preData, 'create view "public"."a_recent_happy"'));
    expect(position(preData, 'create view')).toBeGreaterThan(position(preData, 'create table'));
    expect(preData.join('\n')).toContain('constraint "users_email_key" UNIQUE (email)');
    expect(preData.join('\n')).toContain('create table "public"."odd ""name"" table" (\n  "select" integer not null');
    expect(preData.join('\n')).not.toMatch(/FOREIGN KEY|CREATE INDEX|CREATE TRIGGER|NOT VALID/);
    expect(postData.some((s) => s.startsWith('CREATE UNIQUE INDEX users_lower_email_idx'))).toBe(true);
    // Indexes that back constraints come from the constraints, not twice.
    expect(postData.some((s) => s.includes('users_email_key') || s.includes('users_pkey'))).toBe(false);
    expect(postData).toContain('alter sequence "public"."rooms_id_seq" owned by "public"."rooms"."id"');
    expect(position(postData, 'refresh materialized view "billing"."totals"')).toBeLessThan(position(postData, 'totals_user_idx'));
  });
});
