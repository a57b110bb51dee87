// baseline and stamp on real PostgreSQL: a create_all-style database (every object kind, a second
// schema) adopted — file verified, written and stamped, the live database untouched — and rebuilt
// identically by upgrading a fresh database with the folder (snapshot and pg_dump --schema-only);
// the refusals, each leaving the database and the folder as they were.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, query, type TestDatabase } from '../../../test/database';
import { failureOf } from '../../../test/failure-of';
import { migrationsFolder, targetFor } from '../../../test/targets';
import { schemaDump } from '../../../test/schema-dump';
import { openDatabase, type Db } from '../database/open-database';
import { introspectUserSchema } from '../drift/record-schema-snapshot';
import { listHistory } from '../history/history-log';
import { makePlan } from '../plan/make-plan';
import { executePlan } from '../run/execute-plan';
import { diffSchemas } from '../schema';
import { FIXTURE_SCHEMA_SQL } from '../schema/fixture-schema';
import { getStatus } from '../status/get-status';
import { baselineDatabase } from './baseline';
import { stampMigrations } from './stamp';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function database(label: string, sql?: string): Promise<TestDatabase> {
  const db = await createTestDatabase(label);
  cleanups.push(() => db.drop());
  if (sql) await query(db.url, sql);
  return db;
}

async function open(url: string, folder: string): Promise<Db> {
  const db = await openDatabase(targetFor(url, [folder]));
  cleanups.push(() => db.close());
  return db;
}

const ROWS = `insert into public.users (email) values ('a@example.com'); insert into public.rooms (name, owner_id) values ('blue', 1);`;

describe('baseline of a create_all-style database', () => {
  let live: TestDatabase;
  let folder: string;
  let db: Db;
  beforeAll(async () => {
    live = await database('baseline_live', `create extension if not exists pgcrypto; ${FIXTURE_SCHEMA_SQL} ${ROWS}`);
    folder = migrationsFolder({});
    db = await open(live.url, folder);
  });

  it('writes a verified file, stamps it without running it, and leaves the data alone', async () => {
    const before = await introspectUserSchema(db);
    const result = await baselineDatabase(db, { now: new Date('2026-01-02T03:04:05Z') });
    expect(result.status).toBe('stamped');
    expect(result.name).toBe('20260102030405_baseline.ts');
    expect(result.verification).toMatchObject({ ok: true, up: { status: 'matches' }, down: { status: 'matches' }, upAgain: { status: 'matches' } });
    expect(result.unsupported).toEqual([]);
    expect(readdirSync(folder)).toEqual(['20260102030405_baseline.ts']);
    const text = readFileSync(join(folder, result.name), 'utf8');
    expect(text).toContain('Verified on a shadow database: up gives the live schema, down leaves the database empty, up again gives it again.');
    expect(text).toContain("create extension if not exists \"pgcrypto\" with schema \"public\"");
    // The live database: same schema, same rows, one stamped ledger row in batch 1.
    expect(diffSchemas(before, await introspectUserSchema(db)).changes).toEqual([]);
    expect(await query(live.url, 'select email from public.users')).toEqual([{ email: 'a@example.com' }]);
    expect(await query(live.url, 'select name, batch from knex_migrations')).toEqual([{ name: result.name, batch: 1 }]);
    expect(await query(live.url, 'select name, stamped, duration_ms from stepstone_migrations')).toEqual([{ name: result.name, stamped: true, duration_ms: null }]);
    const status = await getStatus(db);
    expect(status.applied).toMatchObject([{ name: result.name, stamped: true, edited: false }]);
    expect(status.pending).toEqual([]);
    const [entry] = await listHistory(db);
    expect(entry).toMatchObject({ operation: 'baseline', outcome: 'succeeded', headAfter: result.name, steps: [{ name: result.name, outcome: 'stamped' }] });
    expect(entry.details).toMatchObject({ forced: false, batch: 1 });
  });

  it('rebuilds the same schema in a fresh database upgraded with the folder (snapshot and pg_dump --schema-only)', async () => {
    const fresh = await database('baseline_fresh');
    const other = await open(fresh.url, folder);
    const plan = await makePlan(other, { kind: 'upgrade' });
    const run = await executePlan(other, plan);
    expect(run.outcome).toBe('succeeded');
    expect(diffSchemas(await introspectUserSchema(db), await introspectUserSchema(other)).changes).toEqual([]);
    expect(schemaDump(fresh.url)).toBe(schemaDump(live.url));
  });

  it('refuses a database that already has applied migrations, and says to use stamp or generate', async () => {
    const error = await failureOf(baselineDatabase(db));
    expect(error).toMatchObject({ code: 'ALREADY_ADOPTED' });
    expect(error.message).toMatch(/already has 1 applied migration/);
    expect(error.hint).toMatch(/stepstone stamp.*stepstone generate/);
    expect(readdirSync(folder)).toHaveLength(1);
  });
});

describe('baseline refusals', () => {
  it('lists objects it cannot reproduce and writes nothing; --force writes, stamps and records it', async () => {
    const live = await database('baseline_policy', `create table public.notes (id int primary key, owner text);
      alter table public.notes enable row level security; create policy own on public.notes using (owner = current_user);`);
    const folder = migrationsFolder({});
    const db = await open(live.url, folder);
    const refused = await baselineDatabase(db);
    expect(refused.status).toBe('not-written');
    expect(refused.unsupported).toEqual(['policy own on public.notes', 'row-level security on public.notes']);
    expect(readdirSync(folder)).toEqual([]);
    expect(await query(live.url, "select to_regclass('knex_migrations') as t")).toEqual([{ t: null }]);
    const forced = await baselineDatabase(db, { force: true });
    expect(forced).toMatchObject({ status: 'stamped', forced: true });
    expect(readFileSync(join(folder, forced.name), 'utf8')).toMatch(/NOT REPRODUCED — written with --force[^]*policy own on public\.notes/);
    expect((await listHistory(db))[0].details).toMatchObject({ forced: true, unsupported: ['policy own on public.notes', 'row-level security on public.notes'] });
  });

  it('refuses an empty database and a folder that already holds migrations', async () => {
    const empty = await database('baseline_empty');
    const folder = migrationsFolder({});
    expect(await failureOf(baselineDatabase(await open(empty.url, folder)))).toMatchObject({ code: 'NOTHING_TO_DO' });
    const full = await database('baseline_full', 'create table t (id int)');
    const busy = migrationsFolder({ '001_x.js': 'exports.up = () => {}; exports.down = () => {};' });
    expect(await failureOf(baselineDatabase(await open(full.url, busy)))).toMatchObject({ code: 'ALREADY_ADOPTED', hint: expect.stringMatching(/stamp --head/) });
    expect(readdirSync(busy)).toEqual(['001_x.js']);
  });
});

describe('stamp', () => {
  const FILES = {
    '20240101000000_users.js': `exports.up = (knex) => knex.schema.createTable('users', (t) => { t.increments(); t.text('email').notNullable(); });
exports.down = (knex) => knex.schema.dropTable('users');`,
    '20240102000000_posts.js': `exports.up = (knex) => knex.schema.createTable('posts', (t) => { t.increments(); t.integer('user_id').references('users.id'); });
exports.down = (knex) => knex.schema.dropTable('posts');`,
  };
  // What another tool built: the same schema as the two migrations.
  const BUILT = `create table users (id serial primary key, email text not null);
    create table posts (id serial primary key, user_id integer constraint posts_user_id_foreign references users (id));`;

  it('marks migrations up to a name as applied when they give exactly the live schema', async () => {
    const live = await database('stamp_ok', BUILT);
    const folder = migrationsFolder(FILES);
    const db = await open(live.url, folder);
    const partial = await stampMigrations(db, { to: '20240101000000_users' });
    expect(partial.status).toBe('refused');
    expect(partial.differences).toEqual(['- sequence public.posts_id_seq: integer', '- table public.posts: 2 columns']);
    expect(await query(live.url, "select to_regclass('knex_migrations') as t")).toEqual([{ t: null }]);
    const result = await stampMigrations(db, { to: null });
    expect(result).toMatchObject({ status: 'stamped', migrations: Object.keys(FILES), batch: 1, differences: [] });
    expect((await getStatus(db)).applied.map((a) => [a.name, a.stamped])).toEqual(Object.keys(FILES).map((n) => [n, true]));
    expect(await stampMigrations(db, { to: null })).toMatchObject({ status: 'nothing-to-stamp', migrations: [] });
  });

  it('refuses with the differences when the migrations do not give the live schema; --force stamps and records them', async () => {
    const live = await database('stamp_diff', `${BUILT} alter table users add column phone text;`);
    const db = await open(live.url, migrationsFolder(FILES));
    const refused = await stampMigrations(db, { to: null });
    expect(refused).toMatchObject({ status: 'refused', differences: ['- column public.users.phone: text'] });
    expect((await getStatus(db)).applied).toEqual([]);
    const forced = await stampMigrations(db, { to: null, force: true });
    expect(forced).toMatchObject({ status: 'stamped', forced: true });
    expect((await listHistory(db))[0]).toMatchObject({ operation: 'stamp', details: { forced: true, differences: ['- column public.users.phone: text'] } });
  });

  it('refuses a name that is not in the folder, touching nothing', async () => {
    const live = await database('stamp_missing', BUILT);
    const folder = migrationsFolder(FILES);
    const db = await open(live.url, folder);
    expect(await failureOf(stampMigrations(db, { to: '20240105000000_nope' }))).toMatchObject({ code: 'MIGRATION_NOT_FOUND' });
    expect(existsSync(join(folder, '20240105000000_nope.js'))).toBe(false);
    expect(await query(live.url, "select to_regclass('knex_migrations') as t")).toEqual([{ t: null }]);
  });
});
