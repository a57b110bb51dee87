// generate and check on real PostgreSQL: a baselined database, a reference changed by hand, the
// migration generated, verified, written and then run for real (up to the reference, down to the
// baseline); the other sources (schema file, drift); JavaScript projects; and the bad inputs, each
// leaving the database and the folder as they were.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, query, type TestDatabase } from '../../../test/database';
import { failureOf } from '../../../test/failure-of';
import { migrationsFolder, targetFor } from '../../../test/targets';
import { schemaDump } from '../../../test/schema-dump';
import { baselineDatabase } from '../adopt/baseline';
import { checkProject } from '../check/check-project';
import { openDatabase, type Db } from '../database/open-database';
import { introspectUserSchema } from '../drift/record-schema-snapshot';
import { makePlan } from '../plan/make-plan';
import { executePlan } from '../run/execute-plan';
import { diffSchemas } from '../schema';
import { generateMigration } from './generate-migration';

const SCHEMA = `create type mood as enum ('sad', 'happy');
create table users (id bigint generated always as identity primary key, email text not null unique, mood mood not null default 'happy');
create table notes (id serial primary key, user_id bigint references users (id) on delete cascade, body text);
create index notes_user_idx on notes (user_id);`;

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

async function open(url: string, folder: string, overrides = {}): Promise<Db> {
  const db = await openDatabase(targetFor(url, [folder], overrides));
  cleanups.push(() => db.close());
  return db;
}

describe('generate from a reference database, and check', () => {
  let live: TestDatabase;
  let reference: TestDatabase;
  let folder: string;
  let db: Db;
  beforeAll(async () => {
    live = await database('gen_live', SCHEMA);
    reference = await database('gen_ref', `${SCHEMA} alter table users add column phone varchar(32);`);
    folder = migrationsFolder({});
    db = await open(live.url, folder);
    expect((await baselineDatabase(db)).status).toBe('stamped');
  });

  it('check fails while the folder lacks the reference’s change', async () => {
    const result = await checkProject({ db, settings: db.settings }, { source: { kind: 'url', url: reference.url } });
    expect(result.ok).toBe(false);
    expect(result.checked).toEqual(['ledger', 'drift', 'reference']);
    expect(result.problems).toEqual([
      { kind: 'schema-difference', message: expect.stringMatching(/the migrations differ from the reference database .*: \+ column public\.users\.phone: character varying\(32\)$/) },
    ]);
  });

  it('writes a verified migration that upgrades the database to the reference and rolls back to the baseline', async () => {
    const result = await generateMigration({ db, settings: db.settings }, { name: 'add_phone', source: { kind: 'url', url: reference.url } });
    expect(result).toMatchObject({ status: 'written', forced: false, summary: { added: ['column public.users.phone'], altered: [], dropped: [] } });
    expect(result.verification).toMatchObject({ ok: true, up: { status: 'matches' }, down: { status: 'matches' } });
    expect(result.name).toMatch(/^\d{14}_add_phone\.ts$/);
    expect(readFileSync(result.file!, 'utf8')).toBe(result.content);
    expect(result.content).toContain(`t.string('phone', 32);`);

    expect((await checkProject({ db, settings: db.settings }, { source: { kind: 'url', url: reference.url } })).ok).toBe(true);

    const baseline = await introspectUserSchema(db);
    const up = await executePlan(db, await makePlan(db, { kind: 'upgrade' }));
    expect(up.outcome).toBe('succeeded');
    expect(schemaDump(live.url)).toBe(schemaDump(reference.url));
    const down = await executePlan(db, await makePlan(db, { kind: 'rollback', mode: 'last-batch' }));
    expect(down.outcome).toBe('succeeded');
    expect(diffSchemas(baseline, await introspectUserSchema(db)).changes).toEqual([]);
  });

  it('says "no changes" and writes nothing when the folder already gives the reference', async () => {
    const before = readdirSync(folder);
    const result = await generateMigration({ db, settings: db.settings }, { name: 'again', source: { kind: 'url', url: reference.url } });
    expect(result).toMatchObject({ status: 'no-changes', file: null, content: null });
    expect(readdirSync(folder)).toEqual(before);
  });

  it('takes a pg_dump --schema-only file as the desired schema', async () => {
    const other = await database('gen_ref2', `${SCHEMA} alter table users add column phone varchar(32); alter table notes add column pinned boolean not null default false;`);
    const file = join(migrationsFolder({}), 'schema.sql');
    writeFileSync(file, schemaDump(other.url).replace(/^SET /m, '\\restrict abc\nSET '));
    const result = await generateMigration({ db, settings: db.settings }, { name: 'pin notes', source: { kind: 'file', path: file }, preview: true });
    expect(result).toMatchObject({ status: 'preview', summary: { added: ['column public.notes.pinned'] } });
    expect(result.name).toMatch(/_pin_notes\.ts$/);
    expect(readdirSync(folder)).not.toContain(result.name);
  });

  it('turns drift on the live database into a migration', async () => {
    await executePlan(db, await makePlan(db, { kind: 'upgrade' }));
    await query(live.url, 'create index users_phone_idx on users (phone)');
    const check = await checkProject({ db, settings: db.settings });
    expect(check.problems).toEqual([{ kind: 'drift', message: expect.stringMatching(/^drift since .*: \+ index public\.users\.users_phone_idx/) }]);
    const result = await generateMigration({ db, settings: db.settings }, { name: 'phone index', source: { kind: 'drift' } });
    expect(result).toMatchObject({ status: 'written', summary: { added: ['index public.users.users_phone_idx'] } });
    expect(result.content).toContain(`t.index(['phone'], 'users_phone_idx');`);
  });
});

describe('generate: bad input leaves the database and the folder as they were', () => {
  let live: TestDatabase;
  let folder: string;
  let db: Db;
  beforeAll(async () => {
    live = await database('gen_bad', SCHEMA);
    folder = migrationsFolder({});
    db = await open(live.url, folder);
    await baselineDatabase(db);
  });

  async function unchanged<T>(fn: () => Promise<T>): Promise<T> {
    const files = readdirSync(folder);
    const ledger = await query(live.url, 'select name from knex_migrations order by id');
    const dump = schemaDump(live.url);
    const result = await fn();
    expect(readdirSync(folder)).toEqual(files);
    expect(await query(live.url, 'select name from knex_migrations order by id')).toEqual(ledger);
    expect(schemaDump(live.url)).toBe(dump);
    return result;
  }

  function schemaFile(sql: string): string {
    const path = join(migrationsFolder({}), 'schema.sql');
    writeFileSync(path, sql);
    return path;
  }

  it('a reference URL that does not connect', async () => {
    const bad = new URL(live.url);
    bad.pathname = '/st_no_such_database_here';
    const error = await unchanged(() => failureOf(generateMigration({ db, settings: db.settings }, { name: 'x', source: { kind: 'url', url: bad.toString() } })));
    expect(error.code).toBe('REFERENCE_UNREACHABLE');
    expect(error.message).toMatch(/Could not connect to the reference database .*st_no_such_database_here/);
  });

  it('a schema file with a syntax error (the line named)', async () => {
    const path = schemaFile('create table a (id int);\n\ncreate tabel b (id int);\n');
    const error = await unchanged(() => failureOf(generateMigration({ db, settings: db.settings }, { name: 'x', source: { kind: 'file', path } })));
    expect(error.code).toBe('SCHEMA_FILE_INVALID');
    expect(error.message).toBe(`${path} line 3: syntax error at or near "tabel"`);
  });

  it('a schema file that creates objects in schemas Stepstone does not manage, or roles', async () => {
    const catalog = schemaFile('create table users (id int);\ncreate function pg_catalog.sneaky() returns int language sql as $$ select 1 $$;\n');
    const error = await unchanged(() => failureOf(generateMigration({ db, settings: db.settings }, { name: 'x', source: { kind: 'file', path: catalog } })));
    expect(error).toMatchObject({ code: 'SCHEMA_FILE_INVALID', message: `${catalog} line 2: creates or changes an object in pg_catalog, a schema Stepstone does not manage.` });
    const role = schemaFile('create role stepstone_should_not_exist;');
    const roleError = await unchanged(() => failureOf(generateMigration({ db, settings: db.settings }, { name: 'x', source: { kind: 'file', path: role } })));
    expect(roleError.message).toMatch(/line 1: the statement creates a role/);
    expect(await query(live.url, "select 1 from pg_roles where rolname = 'stepstone_should_not_exist'")).toEqual([]);
  });

  it('a schema file that fails when run names the failing statement’s line', async () => {
    const path = schemaFile('create table a (id int);\ncreate index on missing_table (id);\n');
    const error = await unchanged(() => failureOf(generateMigration({ db, settings: db.settings }, { name: 'x', source: { kind: 'file', path } })));
    expect(error.message).toMatch(/line 2: .*missing_table.* does not exist/);
  });

  it('--rename naming a column that does not exist', async () => {
    const ref = await database('gen_bad_ref', `${SCHEMA} alter table users rename column email to mail;`);
    const error = await unchanged(() =>
      failureOf(generateMigration({ db, settings: db.settings }, { name: 'x', source: { kind: 'url', url: ref.url }, renames: ['users.emial=mail'] })),
    );
    expect(error).toMatchObject({ code: 'INVALID_INPUT', message: '--rename users.emial=mail: public.users has no column emial in the current schema.' });
  });

  it('--shadow pointing at a non-empty database Stepstone did not make', async () => {
    const busy = await database('gen_bad_shadow', 'create table keep_me (id int)');
    const ref = await database('gen_bad_ref2', `${SCHEMA} alter table users add column x int;`);
    const error = await unchanged(() =>
      failureOf(generateMigration({ db, settings: db.settings }, { name: 'x', source: { kind: 'url', url: ref.url }, shadowUrl: busy.url })),
    );
    expect(error.code).toBe('SHADOW_NOT_EMPTY');
    expect(await query(busy.url, 'select count(*)::int as n from keep_me')).toEqual([{ n: 0 }]);
  });
});

describe('generate in a JavaScript project', () => {
  it('writes ESM or CommonJS .js as the project is, and the file loads and verifies', async () => {
    const live = await database('gen_js', SCHEMA);
    const reference = await database('gen_js_ref', `${SCHEMA} create table tags (id serial primary key, label text not null);`);
    for (const [format, pkg, expected] of [
      ['esm', '{"type":"module"}', /^export async function up\(knex\)/m],
      ['cjs', '{}', /^exports\.up = async function up\(knex\)/m],
    ] as const) {
      const folder = migrationsFolder({});
      writeFileSync(join(folder, '..', 'package.json'), pkg);
      const db = await open(live.url, folder, { migrations: { directories: [folder], tableName: `knex_migrations_${format}`, extension: 'js' } });
      const result = await generateMigration({ db, settings: db.settings }, { name: 'tags', source: { kind: 'url', url: reference.url } });
      expect(result.status, format).toBe('written');
      expect(result.name).toMatch(/_tags\.js$/);
      expect(result.content).toMatch(expected);
      expect(result.verification?.ok).toBe(true);
    }
  });
});
