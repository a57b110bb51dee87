// `stepstone verify` (the rollback stairway) as users run it: a down that forgets a column and one
// that throws are named, good ones are "ok", a failing up stops the climb, the target database is
// untouched, no CREATEDB says how to give a shadow, and `verify <backup-id>` still checks backups.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, query, serverUrl, type TestDatabase } from './database';
import { runStepstone } from './run-cli';
import { droppedByTheServer } from './dropped-by-the-server';
import { migrationsFolder, tableMigration } from './targets';

const home = mkdtempSync(join(tmpdir(), 'stepstone-verify-home-'));
const stepstone = (args: string[]) => runStepstone(args, { env: { STEPSTONE_HOME: home } });

const FOLDER = {
  '20260501000001_create_accounts.js': tableMigration('accounts', "t.string('email');"),
  '20260501000002_add_nickname.js': `exports.up = (knex) => knex.schema.alterTable('accounts', (t) => { t.string('nickname'); });
exports.down = () => {}; // forgets to drop the column
`,
  '20260501000003_add_index.js': `exports.up = (knex) => knex.schema.alterTable('accounts', (t) => { t.index(['email']); });
exports.down = () => { throw new Error('down is not written yet'); };
`,
  '20260501000004_create_notes.js': tableMigration('notes', "t.integer('account_id').references('accounts.id');"),
  '20260501000005_drop_too_much.js': `exports.up = (knex) => knex.schema.createTable('tags', (t) => { t.increments(); });
exports.down = async (knex) => { await knex.schema.dropTable('tags'); await knex.schema.dropTable('notes'); };
`,
};

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('verify_cli');
});
afterAll(async () => {
  await db?.drop();
});

describe('stepstone verify (the stairway)', () => {
  it('names the migration whose down forgets a column and the one whose down throws; the others are ok; exit 1', async () => {
    const run = stepstone(['verify', '--json', '--db', db.url, '--migrations', migrationsFolder(FOLDER)]);
    expect(run.code, run.stderr).toBe(1);
    const report = run.json;
    expect(report.ok).toBe(false);
    const byName = Object.fromEntries(report.migrations.map((m: any) => [m.migration, m]));
    expect(Object.keys(byName)).toEqual(Object.keys(FOLDER));
    expect(byName['20260501000001_create_accounts.js']).toMatchObject({ result: 'ok', message: 'rollback verified', differences: [] });
    const forgot = byName['20260501000002_add_nickname.js'];
    expect(forgot).toMatchObject({ result: 'not-reversible', differences: [{ kind: 'column', name: 'public.accounts.nickname', change: 'left-behind' }] });
    expect(forgot.message).toContain('public.accounts.nickname');
    expect(byName['20260501000003_add_index.js']).toMatchObject({ result: 'down-failed', differences: [] });
    expect(byName['20260501000003_add_index.js'].message).toContain('down is not written yet');
    expect(byName['20260501000004_create_notes.js'].result).toBe('ok');
    const tooMuch = byName['20260501000005_drop_too_much.js'];
    expect(tooMuch.result).toBe('not-reversible');
    expect(tooMuch.differences).toContainEqual({ kind: 'table', name: 'public.notes', change: 'missing' });
    expect(report.shadow).toMatch(/stepstone_shadow_[0-9a-f]+/);
    // The target was never touched, and the shadow is gone (its drop may finish after the CLI ends).
    expect(await query(db.url, `select tablename from pg_tables where schemaname = 'public'`)).toEqual([]);
    const shadow = /stepstone_shadow_[0-9a-f]+/.exec(report.shadow)![0];
    expect(await droppedByTheServer(shadow)).toBe(true);
  });

  it('exit 0 when every rollback is proven; a failing up stops the climb and says which were not checked', () => {
    const good = stepstone(['verify', '--db', db.url, '--migrations', migrationsFolder({ '20260601000001_a.js': tableMigration('a'), '20260601000002_b.js': tableMigration('b') })]);
    expect(good.code, good.stderr).toBe(0);
    expect(good.stdout).toMatch(/All 2 rollbacks verified/);
    const broken = stepstone(['verify', '--json', '--db', db.url, '--migrations', migrationsFolder({
      '20260701000001_a.js': tableMigration('a'),
      '20260701000002_bad.js': `exports.up = (knex) => knex.raw('alter table nowhere add column x int');\nexports.down = () => {};\n`,
      '20260701000003_c.js': tableMigration('c'),
    })]);
    expect(broken.code).toBe(1);
    expect(broken.json.migrations.map((m: any) => [m.migration, m.result])).toEqual([
      ['20260701000001_a.js', 'ok'],
      ['20260701000002_bad.js', 'up-failed'],
    ]);
    expect(broken.json.migrations[1].message).toMatch(/nowhere/);
    expect(broken.json.notChecked).toEqual(['20260701000003_c.js']);
  });

  it('an up that fails when run again after down is re-up-failed, and the climb goes on from what the first up left', () => {
    const run = stepstone(['verify', '--json', '--db', db.url, '--migrations', migrationsFolder({
      '20261001000001_a.js': tableMigration('a'),
      // down forgets the row: the schema is back as it was, but the second up's insert collides with it
      '20261001000002_seed.js': `exports.up = (knex) => knex.raw('insert into a (id) values (1)');\nexports.down = () => {};\n`,
      // fails unless the climb goes on from the state after the first up (the row is there)
      '20261001000003_b.js': `exports.up = (knex) => knex.raw("do $$ begin if not exists (select 1 from a where id = 1) then raise exception 'the seed row is missing'; end if; end $$; create table b (id int)");\nexports.down = (knex) => knex.raw('drop table b');\n`,
    })]);
    expect(run.code).toBe(1);
    expect(run.json.migrations.map((m: any) => [m.migration, m.result])).toEqual([
      ['20261001000001_a.js', 'ok'],
      ['20261001000002_seed.js', 're-up-failed'],
      ['20261001000003_b.js', 'ok'],
    ]);
    expect(run.json.migrations[1].message).toMatch(/up failed the second time, after down: .*duplicate key/);
    expect(run.json.notChecked).toEqual([]);
  });

  it('a non-transactional migration is climbed outside a transaction: a forgotten drop is named and the climb goes on', () => {
    const run = stepstone(['verify', '--json', '--db', db.url, '--migrations', migrationsFolder({
      '20261101000001_a.js': tableMigration('a', "t.string('name');"),
      '20261101000002_index.js': `exports.config = { transaction: false };\nexports.up = (knex) => knex.raw('create index concurrently a_name_idx on a (name)');\nexports.down = () => {};\n`,
      '20261101000003_b.js': tableMigration('b'),
    })]);
    expect(run.code).toBe(1);
    expect(run.json.migrations.map((m: any) => [m.migration, m.result])).toEqual([
      ['20261101000001_a.js', 'ok'],
      ['20261101000002_index.js', 'not-reversible'],
      ['20261101000003_b.js', 'ok'],
    ]);
    expect(run.json.migrations[1].differences).toContainEqual(expect.objectContaining({ kind: 'index', change: 'left-behind' }));
  });

  it('a down that forgets only a default, a comment, an index or a sequence change on a table an earlier migration made is named', () => {
    const forgets = (name: string, up: string) => `exports.up = (knex) => knex.raw(${JSON.stringify(up)});\nexports.down = () => {}; // forgets: ${name}\n`;
    const run = stepstone(['verify', '--json', '--db', db.url, '--migrations', migrationsFolder({
      '20261201000001_tables.js': `exports.up = (knex) => knex.raw("create table kinds (id serial primary key, name text default 'a', note text); create table other (id integer)");\nexports.down = (knex) => knex.raw('drop table other; drop table kinds');\n`,
      '20261201000002_default.js': forgets('the default', "alter table kinds alter column name set default 'b'"),
      '20261201000003_comment.js': forgets('the comment', "comment on column kinds.note is 'a note'"),
      '20261201000004_index.js': forgets('the index', 'create index kinds_note on kinds (note)'),
      '20261201000005_sequence.js': forgets('the sequence change', 'alter sequence kinds_id_seq increment by 5'),
      '20261201000006_ok.js': tableMigration('last'),
    })]);
    expect(run.code, run.stderr).toBe(1);
    const byName = Object.fromEntries(run.json.migrations.map((m: any) => [m.migration, m]));
    expect(byName['20261201000001_tables.js'].result).toBe('ok');
    for (const name of ['20261201000002_default.js', '20261201000003_comment.js', '20261201000004_index.js', '20261201000005_sequence.js']) {
      expect(byName[name].result, name).toBe('not-reversible');
      expect(byName[name].differences.length, name).toBeGreaterThan(0);
    }
    expect(byName['20261201000004_index.js'].differences).toContainEqual(expect.objectContaining({ kind: 'index', change: 'left-behind' }));
    expect(byName['20261201000006_ok.js'].result).toBe('ok');
  });

  it('without CREATEDB (and no --shadow) says how to give it a shadow database', async () => {
    const role = `st_verify_nocreatedb_${process.pid}`;
    await query(serverUrl(), `create role ${role} login nocreatedb`);
    try {
      const url = new URL(db.url);
      url.username = role;
      const run = stepstone(['verify', '--json', '--db', url.toString(), '--migrations', migrationsFolder({ '20260801000001_a.js': tableMigration('a') })]);
      expect(run.code).toBe(1);
      expect(run.json.error.code).toBe('SHADOW_UNAVAILABLE');
      expect(run.stderr).toMatch(/CREATEDB/);
      expect(run.stderr).toMatch(/--shadow/);
    } finally {
      await query(serverUrl(), `drop role if exists ${role}`);
    }
  });

  it('verify <backup-id> is still the backup check (an unknown id is named)', () => {
    const run = stepstone(['verify', 'no-such-backup', '--json', '--db', db.url, '--migrations', migrationsFolder({ '20260901000001_a.js': tableMigration('a') })]);
    expect(run.code).toBe(1);
    expect(run.json.error.code).toBe('BACKUP_NOT_FOUND');
    expect(run.stderr).toContain('no-such-backup');
  });
});
