// Dry runs on the real PostgreSQL: the sample project previewed on a fresh database (nothing left
// behind, the non-transactional migration never run live, the preview's schema equal to a real
// run's), failures, a held lock, production profiles, a user without CREATEDB, and PGlite.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, query, serverUrl, urlFor, type TestDatabase } from '../../../test/database';
import { SAMPLE_MIGRATIONS, migrationsFolder, tableMigration, targetFor } from '../../../test/targets';
import type { PlanRequest } from '../../shared/plan';
import type { DryRunResult } from '../../shared/schema';
import { openDatabase, type Db } from '../database/open-database';
import { makePlan } from '../plan/make-plan';
import { executePlan } from '../run/execute-plan';
import { diffSchemas, introspectSchema } from '../schema';
import { dryRunPlan, type DryRunOptions } from './dry-run-plan';
import { ledgerTableExclusions } from '../ledger/ledger-tables';

const CONCURRENT_INDEX = 'chat_messages_user_id_created_at_index';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('dry_run');
});
afterAll(async () => {
  await database?.drop();
});

async function withDb<T>(fn: (db: Db) => Promise<T>, url = database.url, dirs = [SAMPLE_MIGRATIONS], overrides = {}): Promise<T> {
  const db = await openDatabase(targetFor(url, dirs, overrides));
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

/** Everything a dry run must leave as it was: the whole schema (ledger tables included) and every ledger row. */
async function stateOf(url: string): Promise<unknown> {
  return withDb(async (db) => {
    const schema = await introspectSchema(db.knex);
    const rows: Record<string, unknown[]> = {};
    for (const t of schema.tables) {
      if (t.name.startsWith('knex_') || t.name.startsWith('stepstone_')) rows[t.name] = (await db.knex.raw(`select * from "${t.name}" order by 1`)).rows;
    }
    return { schema, rows };
  }, url);
}

/** The scratch database a dry run names in its detail, if it still exists (other test files run in parallel, so only ours is checked). */
async function leftoverScratch(result: DryRunResult): Promise<string[]> {
  const name = /stepstone_scratch_[0-9a-f]+/.exec(result.whereDetail)?.[0];
  expect(name).toBeDefined();
  return (await query<{ datname: string }>(serverUrl(), 'select datname from pg_database where datname = $1', [name])).map((r) => r.datname);
}

/** Dry-runs `request`, recording every statement the live connection sent. */
async function dryRun(request: PlanRequest, options: DryRunOptions = {}, url = database.url, dirs = [SAMPLE_MIGRATIONS], overrides = {}) {
  return withDb(
    async (db) => {
      const liveSql: string[] = [];
      db.knex.on('query', (q: { sql: string }) => liveSql.push(q.sql));
      const plan = await makePlan(db, request);
      const result = await dryRunPlan(db, plan, options);
      return { plan, result, liveSql };
    },
    url,
    dirs,
    overrides,
  );
}

function userSchema(db: Db) {
  return introspectSchema(db.knex, { excludeTables: ledgerTableExclusions(db.names) });
}

describe('dry run of the sample project on a fresh database', () => {
  let result: DryRunResult;
  let before: unknown;
  let liveSql: string[];

  beforeAll(async () => {
    before = await stateOf(database.url);
    ({ result, liveSql } = await dryRun({ kind: 'upgrade' }));
  });

  it('gives every transactional migration its statements and a diff, run live and rolled back', () => {
    expect(result.ok).toBe(true);
    expect(result.migrations).toHaveLength(14);
    const transactional = result.migrations.filter((m) => m.transactional);
    expect(transactional).toHaveLength(13);
    for (const m of transactional.slice(0, 11)) {
      expect(m.preview, m.name).toBe('ran');
    }
    for (const m of transactional) {
      expect(m.statements.length, m.name).toBeGreaterThan(0);
      expect(m.diff, m.name).not.toBeNull();
      expect(m.error).toBeNull();
    }
    // Every migration except the data backfill changes the schema.
    expect(transactional.filter((m) => m.diff!.changes.length === 0).map((m) => m.name)).toEqual(['20250402112305_backfill_users_display_name.ts']);
    expect(result.migrations[0].statements[0].sql).toMatch(/^create table "users"/);
    expect(result.migrations[0].diff!.changes).toContainEqual(expect.objectContaining({ kind: 'table', name: 'public.users', change: 'added' }));
  });

  it('previews the non-transactional migration on a scratch database, never on the live one', async () => {
    const concurrent = result.migrations.find((m) => !m.transactional)!;
    expect(concurrent.preview).toBe('scratch');
    expect(concurrent.statements.map((s) => s.sql)).toEqual([expect.stringMatching(/CREATE INDEX CONCURRENTLY chat_messages_user_id_created_at_index/)]);
    expect(concurrent.diff!.changes).toEqual([expect.objectContaining({ kind: 'index', name: `public.chat_messages.${CONCURRENT_INDEX}`, change: 'added' })]);
    expect(result.whereDetail).toMatch(/rolled back.*scratch database stepstone_scratch_\w+/);
    expect(liveSql.some((sql) => /concurrently/i.test(sql))).toBe(false);
    expect(await query(database.url, 'select 1 from pg_indexes where indexname = $1', [CONCURRENT_INDEX])).toEqual([]);
    expect(await leftoverScratch(result)).toEqual([]);
  });

  it('leaves nothing behind: schema, ledger tables and rows as before, no session left in a transaction', async () => {
    expect(await stateOf(database.url)).toEqual(before);
    const sessions = await query(database.url, "select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and state <> 'idle'");
    expect(sessions).toEqual([]);
  });

  it('predicts exactly the schema a real upgrade leaves', async () => {
    await withDb(async (db) => {
      const schemaBefore = await userSchema(db);
      const run = await executePlan(db, await makePlan(db, { kind: 'upgrade' }));
      expect(run.outcome).toBe('succeeded');
      const real = await userSchema(db);
      expect(result.schemaAfter).toEqual(real);
      expect(result.combinedDiff).toEqual(diffSchemas(schemaBefore, real));
    });
  });

  it('previews a full rollback (live, then scratch from the concurrent index on) and leaves the ledger, lock and Stepstone rows as they were', async () => {
    const stateBefore = await stateOf(database.url);
    const { result: rollback, liveSql: sent } = await dryRun({ kind: 'rollback', mode: 'all' });
    expect(rollback.ok).toBe(true);
    expect(rollback.migrations.map((m) => m.preview)).toEqual(['ran', 'ran', ...Array(12).fill('scratch')]);
    expect(rollback.migrations.every((m) => m.statements.length > 0)).toBe(true);
    expect(rollback.schemaAfter!.tables).toEqual([]);
    expect(sent.some((sql) => /concurrently/i.test(sql))).toBe(false);
    expect(await stateOf(database.url)).toEqual(stateBefore);
    expect(await query(database.url, 'select 1 from pg_indexes where indexname = $1', [CONCURRENT_INDEX])).toHaveLength(1);
    expect(await leftoverScratch(rollback)).toEqual([]);
  });
});

describe('failures and busy databases', () => {
  let other: TestDatabase;
  beforeAll(async () => {
    other = await createTestDatabase('dry_run_fail');
  });
  afterAll(async () => {
    await other?.drop();
  });

  it('reports a failing migration with its statements, runs nothing after it, and leaves nothing', async () => {
    const dir = migrationsFolder({
      '20250101000000_a.js': tableMigration('a'),
      '20250102000000_b.js': `exports.up = async (knex) => { await knex.schema.createTable('b', (t) => t.increments()); await knex('missing_table').insert({ x: 1 }); };
exports.down = (knex) => knex.schema.dropTable('b');`,
      '20250103000000_c.js': tableMigration('c'),
    });
    const before = await stateOf(other.url);
    const { result } = await dryRun({ kind: 'upgrade' }, {}, other.url, [dir]);
    expect(result.ok).toBe(false);
    const [a, b, c] = result.migrations;
    expect(a).toMatchObject({ preview: 'ran', error: null });
    expect(b.error).toMatchObject({ code: 'MIGRATION_FAILED', migration: '20250102000000_b.js', message: expect.stringMatching(/missing_table/) });
    expect(b.statements.map((s) => s.sql)).toEqual([expect.stringMatching(/^create table "b"/), expect.stringMatching(/^insert into "missing_table"/)]);
    expect(b.statements[1].bindings).toEqual([1]);
    expect(c).toMatchObject({ preview: 'skipped', reason: expect.stringMatching(/b\.js failed/), statements: [] });
    expect(result.error?.migration).toBe('20250102000000_b.js');
    expect(await stateOf(other.url)).toEqual(before);
  });

  it('drops the scratch database it created ahead for a non-transactional migration the plan never reached', async () => {
    const dir = migrationsFolder({
      '20250101000000_a.js': tableMigration('early_a'),
      '20250102000000_b.js': `exports.up = async (knex) => { await knex('missing_table').insert({ x: 1 }); };
exports.down = async () => {};`,
      '20250103000000_c.js': `exports.config = { transaction: false };
exports.up = (knex) => knex.raw('create index concurrently early_a_id on early_a (id)');
exports.down = (knex) => knex.raw('drop index concurrently early_a_id');`,
    });
    const mine = () =>
      query<{ datname: string }>(
        serverUrl(),
        `select d.datname from pg_database d where d.datname like 'stepstone\\_scratch\\_%' and pg_catalog.shobj_description(d.oid, 'pg_database') like $1`,
        [`%(dry-run, pid ${process.pid} %`],
      );
    const { result } = await dryRun({ kind: 'upgrade' }, {}, other.url, [dir]);
    expect(result.ok).toBe(false);
    expect(result.migrations.map((m) => m.preview)).toEqual(['ran', 'ran', 'skipped']);
    expect(await mine()).toEqual([]);
  });

  it('stops when cancelled: the sleeping statement is cancelled on the server, its table lock goes, CANCELLED', async () => {
    // Without the cancel the statement would sleep an hour (statement_timeout lifted) holding the uncommitted table.
    const dir = migrationsFolder({
      '20250101000000_sleeper.js': `exports.up = async (knex) => { await knex.schema.createTable('sleeper', (t) => t.increments()); await knex.raw('set local statement_timeout = 0'); await knex.raw('select pg_sleep(3600)'); };
exports.down = (knex) => knex.schema.dropTable('sleeper');`,
    });
    const sleeping = () =>
      query<{ pid: number }>(serverUrl(), "select pid from pg_stat_activity where datname = $1 and state = 'active' and query like '%pg_sleep(3600)%' and pid <> pg_backend_pid()", [other.name]);
    const controller = new AbortController();
    const done = withDb(async (db) => dryRunPlan(db, await makePlan(db, { kind: 'upgrade' }), { signal: controller.signal }), other.url, [dir]).then(
      () => null,
      (error: unknown) => error,
    );
    let pids: { pid: number }[] = [];
    while (!(pids = await sleeping()).length) await new Promise((r) => setTimeout(r, 25));
    controller.abort();
    expect(await done).toMatchObject({ code: 'CANCELLED' });
    expect(await sleeping()).toEqual([]);
    // The rolled-back transaction holds nothing: the table can be created (and is not there).
    expect(await query(other.url, "select to_regclass('public.sleeper')::text as t")).toEqual([{ t: null }]);
  });

  it('reports DRY_RUN_BUSY quickly, for the migration, when a long reader blocks its ALTER TABLE', async () => {
    const dir = migrationsFolder({
      '20250101000000_accounts.js': tableMigration('accounts'),
      '20250102000000_add_note.js': `exports.up = (knex) => knex.schema.alterTable('accounts', (t) => t.text('note'));
exports.down = (knex) => knex.schema.alterTable('accounts', (t) => t.dropColumn('note'));`,
    });
    await withDb(async (db) => executePlan(db, await makePlan(db, { kind: 'upgrade', to: '20250101000000_accounts' })), other.url, [dir]);
    const holder = new pg.Client({ connectionString: other.url });
    await holder.connect();
    try {
      // An open transaction that read the table holds ACCESS SHARE until it ends.
      await holder.query('begin');
      await holder.query('select count(*) from accounts');
      const started = performance.now();
      const { result } = await dryRun({ kind: 'upgrade' }, {}, other.url, [dir]);
      const elapsed = performance.now() - started;
      expect(result.ok).toBe(false);
      expect(result.migrations[0]).toMatchObject({ preview: 'ran', error: { code: 'DRY_RUN_BUSY', migration: '20250102000000_add_note.js' } });
      expect(result.migrations[0].statements.map((s) => s.sql)).toEqual(['alter table "accounts" add column "note" text']);
      expect(result.error).toMatchObject({ code: 'DRY_RUN_BUSY', message: expect.stringMatching(/busy, try later/) });
      expect(elapsed).toBeLessThan(10_000);

      // ACCESS EXCLUSIVE blocks even reading the schema: still busy, still quick, nothing previewed.
      await holder.query('lock table accounts in access exclusive mode');
      const again = performance.now();
      const { result: blocked } = await dryRun({ kind: 'upgrade' }, {}, other.url, [dir]);
      expect(performance.now() - again).toBeLessThan(10_000);
      expect(blocked.error?.code).toBe('DRY_RUN_BUSY');
      expect(blocked.migrations[0]).toMatchObject({ preview: 'skipped', reason: expect.stringMatching(/busy/) });
    } finally {
      await holder.query('rollback');
      await holder.end();
    }
    expect(await query(other.url, "select 1 from information_schema.columns where table_name = 'accounts' and column_name = 'note'")).toEqual([]);
  });
});

describe('production profiles and scratch databases', () => {
  let prod: TestDatabase;
  const role = `st_nocreatedb_${process.pid}`;
  beforeAll(async () => {
    prod = await createTestDatabase('dry_run_prod');
    await query(serverUrl(), `create role ${role} login nocreatedb`);
    await query(prod.url, `grant create on schema public to ${role}`);
  });
  afterAll(async () => {
    await prod?.drop();
    await query(serverUrl(), `drop role if exists ${role}`);
  });

  it('never runs a production dry run inside the live database, and says so', async () => {
    const before = await stateOf(prod.url);
    const { result, liveSql } = await dryRun({ kind: 'upgrade' }, {}, prod.url, [SAMPLE_MIGRATIONS], { environment: 'production' });
    expect(result.ok).toBe(true);
    expect(result.where).toBe('scratch');
    expect(result.whereDetail).toMatch(/^Production profile: never run inside st_dry_run_prod_\w+: ran on a scratch database stepstone_scratch_\w+ .*schema-only copy/);
    expect(result.migrations.every((m) => m.preview === 'scratch' && m.statements.length > 0)).toBe(true);
    // The live connection only read: no DDL of any migration went through it.
    expect(liveSql.filter((sql) => /^(create|alter|drop|insert|update|delete)\b/i.test(sql))).toEqual([]);
    expect(await stateOf(prod.url)).toEqual(before);
    expect(await leftoverScratch(result)).toEqual([]);
  });

  it('skips with the reason when the user may not create a scratch database', async () => {
    const url = new URL(prod.url);
    url.username = role;
    const { result } = await dryRun({ kind: 'upgrade' }, {}, url.toString(), [SAMPLE_MIGRATIONS], { environment: 'production' });
    expect(result.migrations.every((m) => m.preview === 'skipped' && /CREATEDB/.test(m.reason ?? ''))).toBe(true);
    expect(result.whereDetail).toMatch(/no scratch database is available.*nothing was run/);
  });

  it('previews transactional steps live and skips the non-transactional one when scratch is unavailable', async () => {
    const url = new URL(prod.url);
    url.username = role;
    const { result } = await dryRun({ kind: 'upgrade' }, {}, url.toString(), [SAMPLE_MIGRATIONS]);
    const concurrent = result.migrations.find((m) => !m.transactional)!;
    expect(concurrent).toMatchObject({ preview: 'skipped', reason: expect.stringMatching(/cannot run inside a transaction.*CREATEDB/) });
    expect(result.migrations.filter((m) => m.transactional).every((m) => m.preview === 'ran' && m.error === null)).toBe(true);
    expect(result.whereDetail).toMatch(/not previewed.*CREATEDB.*concurrently/);
    expect(await query(prod.url, "select tablename from pg_tables where schemaname = 'public'")).toEqual([]);
  });
});

describe('embedded PGlite', () => {
  it('dry-runs live on the one connection and skips non-transactional migrations with the reason', async () => {
    const dir = migrationsFolder({
      '20250101000000_a.js': tableMigration('a', "t.string('label').defaultTo('x');"),
      '20250102000000_idx.js': `exports.config = { transaction: false };
exports.up = (knex) => knex.raw('create index concurrently a_label_idx on a (label)');
exports.down = (knex) => knex.raw('drop index concurrently a_label_idx');`,
      '20250103000000_seed.js': `exports.up = (knex) => knex('a').insert({ label: "it's" });
exports.down = (knex) => knex('a').del();`,
    });
    const db = await openDatabase(targetFor('', [dir], { kind: 'embedded', url: undefined }));
    try {
      const plan = await makePlan(db, { kind: 'upgrade' });
      const result = await dryRunPlan(db, plan);
      const [a, idx, seed] = result.migrations;
      expect(a).toMatchObject({ preview: 'ran', error: null });
      expect(a.statements[0].sql).toMatch(/^create table "a"/);
      expect(idx).toMatchObject({ preview: 'skipped', reason: expect.stringMatching(/embedded database/) });
      expect(seed).toMatchObject({ preview: 'ran', statements: [{ sql: expect.stringMatching(/^insert into "a"/), bindings: ["it's"] }] });
      expect((await introspectSchema(db.knex)).tables).toEqual([]);
    } finally {
      await db.close();
    }
  });
});
