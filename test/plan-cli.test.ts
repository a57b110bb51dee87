// `stepstone plan`, `stepstone sql` and `stepstone drift` as users run them: a separate process,
// JSON on stdout, exit codes, and the database untouched by plans and exports.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createTestDatabase, query, serverUrl, type TestDatabase } from './database';
import { runStepstone } from './run-cli';
import { droppedByTheServer } from './dropped-by-the-server';

const root = resolve(__dirname, '..');
const home = mkdtempSync(join(tmpdir(), 'stepstone-plan-cli-home-'));

function stepstone(args: string[]) {
  return runStepstone(args, { env: { STEPSTONE_HOME: home } });
}

let db: TestDatabase;
let where: string[];
beforeAll(async () => {
  db = await createTestDatabase('plan_cli');
  where = ['--db', db.url, '--migrations', join(root, 'migrations')];
});
afterAll(async () => {
  await db?.drop();
});

async function untouched(whereDetail?: string): Promise<void> {
  expect(await query(db.url, "select tablename from pg_tables where schemaname = 'public'")).toEqual([]);
  expect(await query(db.url, "select typname from pg_type t join pg_namespace n on n.oid = t.typnamespace where n.nspname = 'public'")).toEqual([]);
  // Only this run's scratch database is checked: other test files run in parallel.
  const scratch = whereDetail ? /stepstone_scratch_[0-9a-f]+/.exec(whereDetail)?.[0] : undefined;
  if (whereDetail) expect(scratch).toBeDefined();
  if (scratch) expect(await droppedByTheServer(scratch)).toBe(true);
}

describe('stepstone plan', () => {
  it('plan upgrade --json on a fresh database shows every statement and the resulting schema, and leaves the database untouched', async () => {
    const run = stepstone(['plan', 'upgrade', '--json', ...where]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const { plan, dryRun } = run.json;
    expect(plan.steps).toHaveLength(14);
    expect(dryRun.ok).toBe(true);
    expect(dryRun.migrations.map((m: any) => m.name)).toEqual(plan.steps.map((s: any) => s.name));
    for (const m of dryRun.migrations) {
      expect(m.statements.length, m.name).toBeGreaterThan(0);
      expect(m.diff, m.name).not.toBeNull();
      expect(['ran', 'scratch']).toContain(m.preview);
    }
    const sql = dryRun.migrations.flatMap((m: any) => m.statements.map((s: any) => s.sql)).join('\n');
    expect(sql).toMatch(/create table "users"/);
    expect(sql).toMatch(/CREATE INDEX CONCURRENTLY chat_messages_user_id_created_at_index/);
    expect(sql).toMatch(/UPDATE users SET display_name = username/);
    expect(dryRun.schemaAfter.tables.map((t: any) => t.name).sort()).toEqual(
      ['calibration_logs', 'chat_messages', 'chat_sessions', 'onboarding_sessions', 'profile_snapshots', 'scale_responses', 'scale_templates', 'users'],
    );
    expect(dryRun.combinedDiff.changes.filter((c: any) => c.kind === 'table')).toHaveLength(8);
    await untouched(dryRun.whereDetail);
  });

  it('plan upgrade --to prints each migration with its SQL, its schema change and where it ran', () => {
    const run = stepstone(['plan', 'upgrade', '--to', '20250303092047_create_chat_sessions', ...where]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Upgrade st_plan_cli_\w+: 2 migrations/);
    expect(run.stdout).toMatch(/Dry run: Ran inside st_plan_cli_\w+ in one transaction and rolled back/);
    expect(run.stdout).toMatch(/1\. ↑ 20250303091512_create_users\.ts {2}ran live, rolled back\n {4}SQL:\n {6}create table "users"/);
    expect(run.stdout).toMatch(/Schema \(1 added, 0 changed, 0 removed\):\n {6}\+ table public\.chat_sessions/);
    expect(run.stdout).not.toMatch(/chat_messages/);
  });

  it('refuses bad usage with exit 2', () => {
    expect(stepstone(['plan', 'sideways', ...where]).code).toBe(2);
    expect(stepstone(['plan', 'rollback', '--step', '2', '--all', ...where]).code).toBe(2);
    expect(stepstone(['sql', 'upgrade', '--all', ...where]).code).toBe(2);
    const missing = stepstone(['plan', 'upgrade', '--to', 'nope', ...where]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/No migration named nope/);
  });

  it('sql upgrade prints the script on stdout with the non-transactional part set apart', async () => {
    const run = stepstone(['sql', 'upgrade', ...where]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^-- Stepstone SQL script — Upgrade of database st_plan_cli_\w+\n/);
    expect(run.stdout).toMatch(/-- NOT TRANSACTIONAL: 20250422160437_index_chat_messages_user_id_created_at_concurrently\.ts\n[\s\S]*CREATE INDEX CONCURRENTLY[\s\S]*-- END OF NOT TRANSACTIONAL/);
    expect(run.stdout.match(/^insert into "knex_migrations"/gm)).toHaveLength(14);
    await untouched(/^-- SQL captured by a dry run: (.*)$/m.exec(run.stdout)?.[1]);
  });
});

describe('stepstone drift', () => {
  it('exits 0 with no reference before any run, and reports hand-made changes after one', async () => {
    const before = stepstone(['drift', '--json', ...where]);
    expect(before.code).toBe(0);
    expect(before.json).toMatchObject({ recordedAt: null, drifted: false });

    expect(stepstone(['upgrade', '--yes', '--no-backup', ...where]).code).toBe(0);
    const clean = stepstone(['drift', ...where]);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(/^No drift in st_plan_cli_\w+ since /);

    await query(db.url, 'alter table users add column nickname text');
    const drifted = stepstone(['drift', '--json', ...where]);
    expect(drifted.code).toBe(0);
    expect(drifted.json.drifted).toBe(true);
    expect(drifted.json.diff.changes).toEqual([expect.objectContaining({ kind: 'column', name: 'public.users.nickname', change: 'added' })]);
    expect(stepstone(['drift', ...where]).stdout).toMatch(/\+ column public\.users\.nickname: text/);
  });
});
