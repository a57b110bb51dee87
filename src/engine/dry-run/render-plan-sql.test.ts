// SQL export: the script of a dry run, read by a DBA and run with psql, must do what Stepstone would:
// same schema, same rows, Knex's ledger in step, the non-transactional part outside any transaction.
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, query, type TestDatabase } from '../../../test/database';
import { SAMPLE_MIGRATIONS, migrationsFolder, targetFor } from '../../../test/targets';
import type { PlanRequest } from '../../shared/plan';
import { openDatabase, type Db } from '../database/open-database';
import { makePlan } from '../plan/make-plan';
import { executePlan } from '../run/execute-plan';
import { getStatus } from '../status/get-status';
import { introspectSchema } from '../schema';
import { dryRunPlan } from './dry-run-plan';
import { ledgerTableExclusions } from '../ledger/ledger-tables';
import { inlineBindings, sqlLiteral } from './inline-bindings';
import { renderPlanSql } from './render-plan-sql';

const databases: TestDatabase[] = [];
async function freshDatabase(label: string): Promise<TestDatabase> {
  const db = await createTestDatabase(label);
  databases.push(db);
  return db;
}
afterAll(async () => {
  for (const db of databases) await db.drop();
});

async function withDb<T>(url: string, dirs: string[], fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await openDatabase(targetFor(url, dirs));
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

async function exportScript(url: string, dirs: string[], request: PlanRequest) {
  return withDb(url, dirs, async (db) => {
    const plan = await makePlan(db, request);
    const result = await dryRunPlan(db, plan);
    const script = renderPlanSql(result, { database: 'appdb', head: plan.headBefore, plan, generatedAt: new Date('2025-06-01T12:00:00Z'), generatedBy: 'dba@host' });
    return { plan, result, script };
  });
}

function psql(url: string, script: string): { status: number | null; stderr: string } {
  const file = join(mkdtempSync(join(tmpdir(), 'stepstone-sql-')), 'plan.sql');
  writeFileSync(file, script);
  const res = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-f', file], { encoding: 'utf8' });
  return { status: res.status, stderr: res.stderr };
}

/** Which lines of the script run inside an explicit transaction. */
function transactionState(script: string): Map<string, boolean> {
  const state = new Map<string, boolean>();
  let open = false;
  for (const line of script.split('\n')) {
    if (line === 'BEGIN;') open = true;
    else if (line === 'COMMIT;' || line.startsWith('ROLLBACK;')) open = false;
    else if (line && !line.startsWith('--')) state.set(line, open);
  }
  return state;
}

describe('inlineBindings', () => {
  it('writes values as literals and leaves placeholders in strings, identifiers, comments and dollar quotes alone', () => {
    const sql = `insert into "t$1" (a, b, c) values ($1, '$2', $2) -- $1\n/* $2 */ returning $$ $1 $$, $tag$ $2 $tag$, $3`;
    expect(inlineBindings({ sql, bindings: ["it's", 'back\\slash', null] })).toBe(
      `insert into "t$1" (a, b, c) values ('it''s', '$2', E'back\\\\slash') -- $1\n/* $2 */ returning $$ $1 $$, $tag$ $2 $tag$, NULL`,
    );
    expect(inlineBindings({ sql: 'select $10, $1', bindings: [1, 2, 3, 4, 5, 6, 7, 8, 9, true] })).toBe('select true, 1');
  });

  it('quotes arrays and objects as node-postgres sends them', () => {
    expect(sqlLiteral(['a', 'b c', null, 'q"'])).toBe(String.raw`E'{"a","b c",NULL,"q\\""}'`);
    expect(sqlLiteral({ k: "v'" })).toBe(`'{"k":"v''"}'`);
    expect(sqlLiteral(new Date('2025-01-02T03:04:05Z'))).toBe("'2025-01-02T03:04:05.000Z'");
  });
});

describe('renderPlanSql of the sample project', () => {
  let target: TestDatabase;
  let script: string;
  let expectedSchema: unknown;

  beforeAll(async () => {
    target = await freshDatabase('sql_export');
    const exported = await exportScript(target.url, [SAMPLE_MIGRATIONS], { kind: 'upgrade' });
    script = exported.script;
    expectedSchema = exported.result.schemaAfter;
  });

  it('names the database, the head, the plan, when and by whom', () => {
    expect(script).toMatch(/^-- Stepstone SQL script — Upgrade of database appdb\n-- Generated 2025-06-01T12:00:00.000Z by dba@host\.\n-- Current head: \(no migrations applied\)\n-- Plan: upgrade, 14 migrations, batch 1, one transaction per migration/);
    expect(script).toContain('20250422160437_index_chat_messages_user_id_created_at_concurrently.ts   [NOT TRANSACTIONAL');
  });

  it('holds every statement and a ledger write per migration; the non-transactional part outside any transaction', () => {
    const lines = transactionState(script);
    expect(lines.get('CREATE INDEX CONCURRENTLY chat_messages_user_id_created_at_index ON chat_messages (user_id, created_at DESC);')).toBe(false);
    expect(lines.get(`insert into "knex_migrations" ("name", "batch", "migration_time") values ('20250303091512_create_users.ts', 1, now());`)).toBe(true);
    expect([...lines.keys()].filter((l) => l.startsWith('insert into "knex_migrations"'))).toHaveLength(14);
    expect(lines.get('alter table "chat_sessions" add column "archived_at" timestamptz')).toBeUndefined();
    expect([...lines.entries()].filter(([l]) => /^(create|alter) /i.test(l) && !/knex_migrations/.test(l)).every(([l, inTx]) => inTx || /CONCURRENTLY/.test(l))).toBe(true);
    const section = script.slice(script.indexOf('-- NOT TRANSACTIONAL: 2025'), script.indexOf('-- END OF NOT TRANSACTIONAL'));
    expect(section).toContain('CREATE INDEX CONCURRENTLY');
    expect(section).toContain("values ('20250422160437_index_chat_messages_user_id_created_at_concurrently.ts', 1, now());");
  });

  it('run with psql, leaves the schema the dry run predicted and Knex seeing every migration applied', async () => {
    const run = psql(target.url, script);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    await withDb(target.url, [SAMPLE_MIGRATIONS], async (db) => {
      const status = await getStatus(db);
      expect(status.pending).toEqual([]);
      expect(status.applied).toHaveLength(14);
      expect(status.lock.locked).toBe(false);
      expect(await introspectSchema(db.knex, { excludeTables: ledgerTableExclusions(db.names) })).toEqual(expectedSchema);
    });
    // And the rollback script takes it all back.
    const rollback = await exportScript(target.url, [SAMPLE_MIGRATIONS], { kind: 'rollback', mode: 'all' });
    expect(rollback.script).toContain(`delete from "knex_migrations" where "name" = '20250303091512_create_users.ts';`);
    expect(psql(target.url, rollback.script).status).toBe(0);
    expect(await query(target.url, "select tablename from pg_tables where schemaname = 'public' and tablename not like 'knex%' and tablename not like 'stepstone%'")).toEqual([]);
    expect(await query(target.url, 'select count(*)::int as n from knex_migrations')).toEqual([{ n: 0 }]);
  });
});

describe('renderPlanSql with bindings and failures', () => {
  const dir = migrationsFolder({
    '20250101000000_notes.js': `exports.up = async (knex) => {
  await knex.schema.createTable('notes', (t) => { t.increments(); t.text('body'); t.integer('n'); t.jsonb('meta'); t.specificType('tags', 'text[]'); t.boolean('flag'); t.text('missing'); });
  await knex('notes').insert({ body: "it's a \\\\ backslash; and $1", n: 42, meta: JSON.stringify({ a: "q'uote" }), tags: ['x', 'y z'], flag: true, missing: null });
};
exports.down = (knex) => knex.schema.dropTable('notes');`,
  });

  it('inlines bindings so psql inserts exactly the rows a real run inserts', async () => {
    const scripted = await freshDatabase('sql_bindings');
    const real = await freshDatabase('sql_bindings_real');
    const { script } = await exportScript(scripted.url, [dir], { kind: 'upgrade' });
    expect(script).toMatch(/^BEGIN;$/m);
    const run = psql(scripted.url, script);
    expect(run.stderr).toBe('');
    await withDb(real.url, [dir], async (db) => executePlan(db, await makePlan(db, { kind: 'upgrade' })));
    const rows = (url: string) => query(url, 'select body, n, meta, tags, flag, missing from notes');
    const expected = await rows(real.url);
    expect(expected[0].body).toBe("it's a \\ backslash; and $1");
    expect(await rows(scripted.url)).toEqual(expected);
  });

  it('stops before a migration the dry run could not run, naming it and the cause', async () => {
    const failing = migrationsFolder({
      '20250101000000_ok.js': `exports.up = (knex) => knex.schema.createTable('ok', (t) => t.increments()); exports.down = () => {};`,
      '20250102000000_bad.js': `exports.up = (knex) => knex.raw('select * from nowhere'); exports.down = () => {};`,
      '20250103000000_later.js': `exports.up = (knex) => knex.schema.createTable('later', (t) => t.increments()); exports.down = () => {};`,
    });
    const target = await freshDatabase('sql_failing');
    const { script } = await exportScript(target.url, [failing], { kind: 'upgrade' });
    expect(script).toMatch(/INCOMPLETE: the script stops before 20250102000000_bad\.js — .*nowhere/);
    expect(script).toMatch(/-- STOP: 20250102000000_bad\.js — the dry run failed here: .*nowhere/);
    expect(script).toContain('-- select * from nowhere;');
    expect(script).not.toContain('create table "later"');
    expect(script).toContain('ROLLBACK; -- the plan cannot be completed');
    expect(psql(target.url, script).status).toBe(0);
    expect(await query(target.url, "select tablename from pg_tables where schemaname = 'public' and tablename = 'ok'")).toEqual([]);
  });
});
