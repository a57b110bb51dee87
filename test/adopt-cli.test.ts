// The "Done when" through the CLI as users run it (node bin/stepstone.cjs): baseline a
// create_all database into an empty folder, rebuild it elsewhere (same pg_dump), check fails,
// generate the change from a reference, check passes, upgrade reaches the reference and rollback
// the baseline; the knex CLI reads the folder and agrees; each bad input exits non-zero naming
// the cause and leaves the database and the folder as they were; Ctrl-C drops the shadow.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, query, serverUrl, type TestDatabase } from './database';
import { ROOT, STEPSTONE_BIN, runNodeAsync, type CliRun } from './run-cli';
import { schemaDump } from './schema-dump';

const home = mkdtempSync(join(tmpdir(), 'stepstone-adopt-home-'));
const KNEX_CLI = join(ROOT, 'node_modules', 'knex', 'bin', 'cli.js');

const CREATE_ALL = `create extension if not exists "uuid-ossp";
create schema audit;
create type user_role as enum ('member', 'admin');
create table users (id serial primary key, public_id uuid not null default uuid_generate_v4(), email varchar(255) not null unique,
  role user_role not null default 'member', settings jsonb not null default '{}', created_at timestamptz not null default now());
create table chat_messages (id bigint generated always as identity primary key, user_id integer not null references users (id) on delete cascade,
  body text not null check (length(body) > 0), tags text[], created_at timestamptz not null default now());
create index chat_messages_recent_idx on chat_messages (user_id, created_at desc) where body <> '';
create index users_lower_email_idx on users (lower(email));
create table audit.events (id bigserial primary key, kind text not null, at timestamptz default now());
create view recent_messages as select id, user_id, body from chat_messages where created_at > now() - interval '1 day';
comment on table users is 'People who sign in';`;

const dbs: TestDatabase[] = [];
afterAll(async () => {
  for (const db of dbs) await db.drop();
  rmSync(home, { recursive: true, force: true });
});

async function database(label: string, sql?: string): Promise<TestDatabase> {
  const db = await createTestDatabase(label);
  dbs.push(db);
  if (sql) await query(db.url, sql);
  return db;
}

function stepstone(args: string[], cwd?: string): Promise<CliRun> {
  return runNodeAsync(STEPSTONE_BIN, args, { cwd, env: { STEPSTONE_HOME: home, NODE_ENV: undefined } });
}

function project(): { dir: string; migrations: string } {
  const dir = mkdtempSync(join(tmpdir(), 'stepstone-adopt-'));
  const migrations = join(dir, 'migrations');
  mkdirSync(migrations);
  return { dir, migrations };
}

async function ledger(url: string): Promise<unknown[]> {
  const [{ t }] = await query<{ t: string | null }>(url, "select to_regclass('knex_migrations')::text as t");
  return t ? query(url, 'select name, batch from knex_migrations order by id') : [];
}

describe('Done when: baseline, rebuild, check, generate, check, upgrade, rollback', () => {
  let app: TestDatabase;
  let reference: TestDatabase;
  let fresh: TestDatabase;
  const { dir, migrations } = project();
  beforeAll(async () => {
    app = await database('adopt_app', CREATE_ALL);
    reference = await database('adopt_ref', `${CREATE_ALL} alter table users add column phone varchar(32);`);
    fresh = await database('adopt_fresh');
  });

  it('baseline writes a verified file and stamps it (--json fields)', async () => {
    const run = await stepstone(['baseline', '--db', app.url, '--migrations', migrations, '--yes', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.json).toMatchObject({ status: 'stamped', forced: false, batch: 1, unsupported: [], verification: { ok: true, upAgain: { status: 'matches' } } });
    expect(Object.keys(run.json).sort()).toEqual(['batch', 'content', 'file', 'forced', 'historyId', 'name', 'status', 'summary', 'unsupported', 'verification', 'warnings']);
    expect(readdirSync(migrations)).toEqual([run.json.name]);
    expect(await ledger(app.url)).toEqual([{ name: run.json.name, batch: 1 }]);
    const status = await stepstone(['status', '--db', app.url, '--migrations', migrations]);
    expect(status.stdout).toMatch(/_baseline\.ts .*stamped \(recorded as applied, not run\)/);
  });

  it('a fresh database upgraded with that folder gives the same pg_dump --schema-only', async () => {
    const run = await stepstone(['upgrade', '--db', fresh.url, '--migrations', migrations, '--yes', '--no-backup']);
    expect(run.code, run.stderr).toBe(0);
    expect(schemaDump(fresh.url)).toBe(schemaDump(app.url));
  });

  it('check --from the reference exits 1 before the migration exists, naming the difference', async () => {
    const run = await stepstone(['check', '--from', reference.url, '--db', app.url, '--migrations', migrations]);
    expect(run.code).toBe(1);
    expect(run.stdout.trim()).toMatch(/^✗ schema-difference: the migrations differ from the reference database .*: \+ column public\.users\.phone: character varying\(32\)$/);
  });

  it('generate add_phone writes a verified migration (text and --json)', async () => {
    const run = await stepstone(['generate', 'add_phone', '--from', reference.url, '--db', app.url, '--migrations', migrations, '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.json).toMatchObject({
      status: 'written',
      summary: { added: ['column public.users.phone'], altered: [], dropped: [], renamed: [] },
      verification: { ok: true, up: { status: 'matches' }, down: { status: 'matches' }, upAgain: null },
      renameCandidates: [],
      dataLoss: [],
      forced: false,
    });
    expect(Object.keys(run.json).sort()).toEqual(
      ['content', 'dataLoss', 'diff', 'file', 'forced', 'name', 'renameCandidates', 'source', 'status', 'summary', 'verification', 'warnings'].sort(),
    );
    expect(readdirSync(migrations)).toHaveLength(2);
    const again = await stepstone(['generate', 'add_phone', '--from', reference.url, '--db', app.url, '--migrations', migrations]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^No changes: the migrations already give the reference database/);
    expect(readdirSync(migrations)).toHaveLength(2);
  });

  it('check --from the reference exits 0 once the migration is there', async () => {
    const run = await stepstone(['check', '--from', reference.url, '--db', app.url, '--migrations', migrations, '--json']);
    expect(run.code, run.stdout).toBe(0);
    expect(run.json).toEqual({ ok: true, problems: [], checked: ['ledger', 'drift', 'reference'] });
  });

  it('the knex CLI reads the generated folder and agrees with Stepstone’s status', async () => {
    writeFileSync(join(dir, 'knexfile.ts'), `export default { development: { client: 'pg', connection: '${app.url}', migrations: { directory: './migrations' } } };\n`);
    if (!existsSync(join(dir, 'node_modules'))) symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const list = await runNodeAsync(KNEX_CLI, ['migrate:list'], { cwd: dir, env: { NODE_ENV: undefined } });
    expect(list.code, list.stderr).toBe(0);
    const [baseline, addPhone] = readdirSync(migrations).sort();
    expect(list.stdout).toMatch(new RegExp(`Found 1 Completed Migration file/files\\.\\s+${baseline}`));
    expect(list.stdout).toMatch(new RegExp(`Found 1 Pending Migration file/files\\.\\s+${addPhone}`));
    const status = await stepstone(['status', '--json'], dir);
    expect(status.json.applied.map((a: { name: string }) => a.name)).toEqual([baseline]);
    expect(status.json.pending.map((p: { name: string }) => p.name)).toEqual([addPhone]);
  });

  it('upgrade reaches the reference schema; rollback returns to the baseline', async () => {
    expect((await stepstone(['upgrade', '--db', app.url, '--migrations', migrations, '--yes', '--no-backup'])).code).toBe(0);
    expect(schemaDump(app.url)).toBe(schemaDump(reference.url));
    expect((await stepstone(['rollback', '--db', app.url, '--migrations', migrations, '--yes', '--no-backup'])).code).toBe(0);
    expect(schemaDump(app.url)).toBe(schemaDump(fresh.url));
  });
});

describe('bad input: a clear error, exit non-zero, the database and the folder as they were', () => {
  async function unchanged(url: string, folder: string, run: () => Promise<CliRun>): Promise<CliRun> {
    const files = readdirSync(folder);
    const rows = await ledger(url);
    const dump = schemaDump(url);
    const result = await run();
    expect(readdirSync(folder)).toEqual(files);
    expect(await ledger(url)).toEqual(rows);
    expect(schemaDump(url)).toBe(dump);
    expect(result.stderr.trim().split('\n').filter((l) => l.startsWith('stepstone:'))).toHaveLength(1);
    return result;
  }

  it('baseline on a database that already has applied migrations says to use stamp or generate', async () => {
    const db = await database('adopt_bad_applied', CREATE_ALL);
    const { migrations } = project();
    expect((await stepstone(['baseline', '--db', db.url, '--migrations', migrations, '--yes'])).code).toBe(0);
    const other = project();
    const run = await unchanged(db.url, other.migrations, () => stepstone(['baseline', '--db', db.url, '--migrations', other.migrations, '--yes']));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/already has 1 applied migration.*stepstone stamp.*stepstone generate/);
  });

  it('stamp of a name not in the folder', async () => {
    const db = await database('adopt_bad_stamp', 'create table t (id int)');
    const { migrations } = project();
    writeFileSync(join(migrations, '20240101000000_t.js'), "exports.up = (k) => k.raw('create table t (id int)'); exports.down = (k) => k.raw('drop table t');\n");
    const run = await unchanged(db.url, migrations, () => stepstone(['stamp', '20240102000000_nope', '--db', db.url, '--migrations', migrations, '--yes']));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/There is no migration "20240102000000_nope"/);
    const ok = await stepstone(['stamp', '--head', '--db', db.url, '--migrations', migrations, '--yes', '--json']);
    expect(ok.json).toMatchObject({ status: 'stamped', migrations: ['20240101000000_t.js'], batch: 1 });
  });

  it('no CREATEDB and no --shadow: says so and how to fix it; --shadow pointing at a database Stepstone did not make is refused', async () => {
    const db = await database('adopt_bad_shadow', 'create table t (id int)');
    const role = `st_adopt_nocreatedb_${process.pid}`;
    await query(serverUrl(), `create role ${role} login nocreatedb`);
    try {
      await query(db.url, `grant all on schema public to ${role}; grant all on all tables in schema public to ${role}`);
      const url = new URL(db.url);
      url.username = role;
      const { migrations } = project();
      const run = await unchanged(db.url, migrations, () => stepstone(['baseline', '--db', url.toString(), '--migrations', migrations, '--yes']));
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/No shadow database: the database user lacks the CREATEDB privilege.*ALTER ROLE .*CREATEDB.*--shadow/);
      const busy = await database('adopt_bad_busy', 'create table keep (id int)');
      const refused = await unchanged(db.url, migrations, () => stepstone(['baseline', '--db', db.url, '--migrations', migrations, '--yes', '--shadow', busy.url]));
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/is not empty and Stepstone did not make it \(it holds table public\.keep\)/);
    } finally {
      await query(db.url, `drop owned by ${role}`);
      await query(serverUrl(), `drop role if exists ${role}`);
    }
  });

  it('generate without a source, or with two, is bad usage (exit 2)', async () => {
    const { migrations } = project();
    expect((await stepstone(['generate', 'x', '--migrations', migrations])).code).toBe(2);
    const two = await stepstone(['generate', 'x', '--from', 'postgres://a@b/c', '--from-drift', '--migrations', migrations]);
    expect(two.code).toBe(2);
    expect(two.stderr).toMatch(/not several/);
  });

  it('Ctrl-C during verification drops the shadow database and writes nothing', async () => {
    const tables = Array.from({ length: 150 }, (_, i) => `create table t${i} (id serial primary key, name text not null, at timestamptz default now());`).join('\n');
    const db = await database('adopt_ctrl_c', tables);
    const { migrations } = project();
    const child = spawn(process.execPath, [STEPSTONE_BIN, 'baseline', '--db', db.url, '--migrations', migrations, '--yes'], {
      env: { ...process.env, STEPSTONE_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<NodeJS.Signals | number | null>((done) => child.on('exit', (code, signal) => done(signal ?? code)));
    let shadow: string | undefined;
    for (let i = 0; i < 600 && !shadow; i++) {
      const rows = await query<{ datname: string }>(serverUrl(), "select datname from pg_database where shobj_description(oid, 'pg_database') like $1", [`%pid ${child.pid} %`]);
      shadow = rows[0]?.datname;
      if (!shadow) await new Promise((r) => setTimeout(r, 50));
    }
    expect(shadow).toMatch(/^stepstone_shadow_/);
    child.kill('SIGINT');
    expect(await exited).toBe('SIGINT');
    expect(await query(serverUrl(), 'select 1 from pg_database where datname = $1', [shadow])).toEqual([]);
    expect(readdirSync(migrations)).toEqual([]);
    expect(await ledger(db.url)).toEqual([]);
  });
});
