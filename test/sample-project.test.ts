// The sample project (knexfile.ts + migrations/) driven through the real knex CLI on a fresh database.
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, query, type TestDatabase } from './database';

const run = promisify(execFile);
const repoRoot = path.resolve(__dirname, '..');
const migrationFiles = readdirSync(path.join(repoRoot, 'migrations')).filter((f) => f.endsWith('.ts')).sort();
const sampleTables = [
  'calibration_logs', 'chat_messages', 'chat_sessions', 'onboarding_sessions',
  'profile_snapshots', 'scale_responses', 'scale_templates', 'users',
];
const knexTables = ['knex_migrations', 'knex_migrations_lock'];
const concurrentIndex = 'chat_messages_user_id_created_at_index';

let db: TestDatabase;

/** Run the knex CLI as a user would, loading the TS knexfile and migrations through tsx (the project's TypeScript loader). */
async function knexCli(...args: string[]): Promise<string> {
  const cli = path.join(repoRoot, 'node_modules/knex/bin/cli.js');
  // --env: vitest sets NODE_ENV=test, which the knexfile has no entry for.
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', cli, ...args, '--knexfile', 'knexfile.ts', '--env', 'development'],
    { cwd: repoRoot, env: { ...process.env, DATABASE_URL: db.url, NODE_OPTIONS: '' } },
  );
  return stdout;
}

/** The schema as pg_dump prints it, minus the per-run random \restrict key lines. */
async function schemaDump(): Promise<string> {
  const { stdout } = await run('pg_dump', ['--schema-only', '--no-owner', db.url], { maxBuffer: 16 * 1024 * 1024 });
  return stdout.split('\n').filter((line) => !/^\\(un)?restrict /.test(line)).join('\n');
}

async function publicTables(): Promise<string[]> {
  const rows = await query<{ tablename: string }>(db.url, `select tablename from pg_tables where schemaname = 'public' order by 1`);
  return rows.map((r) => r.tablename);
}

async function publicEnums(): Promise<Record<string, string[]>> {
  const rows = await query<{ typname: string; labels: string[] }>(
    db.url,
    `select t.typname, array_agg(e.enumlabel::text order by e.enumsortorder) as labels
       from pg_type t join pg_enum e on e.enumtypid = t.oid join pg_namespace n on n.oid = t.typnamespace
      where n.nspname = 'public' group by t.typname order by t.typname`,
  );
  return Object.fromEntries(rows.map((r) => [r.typname, r.labels]));
}

async function displayNames(): Promise<Record<string, string | null>> {
  const rows = await query<{ username: string; display_name: string | null }>(
    db.url, 'select username, display_name from users order by username',
  );
  return Object.fromEntries(rows.map((r) => [r.username, r.display_name]));
}

beforeAll(async () => {
  db = await createTestDatabase('sample_project');
});

afterAll(async () => {
  await db?.drop();
});

describe('knexfile', () => {
  const keys = ['DATABASE_URL', 'STAGING_DATABASE_URL', 'PRODUCTION_DATABASE_URL'] as const;

  async function loadWith(env: Partial<Record<(typeof keys)[number], string>>) {
    const saved = keys.map((k) => [k, process.env[k]] as const);
    for (const k of keys) delete process.env[k];
    Object.assign(process.env, env);
    try {
      vi.resetModules(); // the knexfile reads the environment when it is evaluated
      return (await import('../knexfile')).default;
    } finally {
      for (const [k, v] of saved) if (v === undefined) delete process.env[k]; else process.env[k] = v;
    }
  }

  it('reads each connection from its environment variable and invents no host', async () => {
    const unset = await loadWith({});
    expect(unset.development.connection).toBe('postgres://postgres@127.0.0.1:5432/stepstone_dev');
    expect(unset.staging.connection).toBeUndefined();
    expect(unset.production.connection).toBeUndefined();

    const set = await loadWith({ DATABASE_URL: 'postgres://d/dev', STAGING_DATABASE_URL: 'postgres://s/stg', PRODUCTION_DATABASE_URL: 'postgres://p/prod' });
    expect([set.development.connection, set.staging.connection, set.production.connection])
      .toEqual(['postgres://d/dev', 'postgres://s/stg', 'postgres://p/prod']);
    for (const env of [set.development, set.staging, set.production]) {
      expect(env.client).toBe('pg');
      expect(env.migrations).toEqual({ directory: './migrations', extension: 'ts', tableName: 'knex_migrations' });
    }
  });
});

describe('sample project', () => {
  it('has at least 12 migrations named like migrate:make, in strictly increasing 2025 timestamps', () => {
    expect(migrationFiles.length).toBeGreaterThanOrEqual(12);
    const stamps = migrationFiles.map((f) => {
      expect(f).toMatch(/^2025\d{10}_[a-z0-9_]+\.ts$/);
      return f.slice(0, 14);
    });
    for (let i = 1; i < stamps.length; i++) expect(stamps[i] > stamps[i - 1]).toBe(true);
  });

  it('applies one migration at a time, and each down restores the schema exactly', async () => {
    // list creates knex's own tables, so the first dump below already has them.
    expect(await knexCli('migrate:list')).toContain(`Found ${migrationFiles.length} Pending Migration`);
    for (const file of migrationFiles) {
      if (file.endsWith('_add_display_name_to_users.ts')) {
        // Users that exist before the column does: the backfill must give them a name.
        await query(db.url, `insert into users (email, username, password_hash) values
          ('ada@example.com', 'ada', 'x'), ('lin@example.com', 'lin', 'x')`);
      }
      if (file.endsWith('_backfill_users_display_name.ts')) {
        // A name someone already chose must survive the backfill and its down.
        await query(db.url, `update users set display_name = 'Lin Wei' where username = 'lin'`);
      }
      const before = await schemaDump();
      expect(await knexCli('migrate:up')).toContain(file);
      const after = await schemaDump();

      if (file.endsWith('_backfill_users_display_name.ts')) {
        expect(after).toBe(before); // a pure data migration
        expect(await displayNames()).toEqual({ ada: 'ada', lin: 'Lin Wei' });
        await knexCli('migrate:down');
        expect(await displayNames()).toEqual({ ada: null, lin: 'Lin Wei' });
        await knexCli('migrate:up');
        expect(await displayNames()).toEqual({ ada: 'ada', lin: 'Lin Wei' });
        continue;
      }

      expect(after, `${file} changed nothing in the schema`).not.toBe(before);
      expect(await knexCli('migrate:down')).toContain(file);
      expect(await schemaDump(), `down of ${file} left the schema different`).toBe(before);
      await knexCli('migrate:up');
      expect(await schemaDump(), `up of ${file} after its down gave another schema`).toBe(after);
    }
    expect(await knexCli('migrate:list')).toContain('No Pending Migration files Found.');
  }, 240_000);

  it('leaves the expected tables, enums, concurrent index and backfilled data', async () => {
    expect(await publicTables()).toEqual([...sampleTables, ...knexTables].sort());
    expect(await publicEnums()).toEqual({
      chat_message_role: ['user', 'assistant', 'system'],
      onboarding_status: ['in_progress', 'completed', 'abandoned'],
    });
    const [index] = await query<{ indexdef: string; valid: boolean }>(
      db.url,
      `select i.indexdef, x.indisvalid as valid from pg_indexes i
         join pg_class c on c.relname = i.indexname join pg_index x on x.indexrelid = c.oid
        where i.schemaname = 'public' and i.indexname = $1`,
      [concurrentIndex],
    );
    expect(index?.indexdef).toContain('ON public.chat_messages USING btree (user_id, created_at DESC)');
    expect(index?.valid).toBe(true);
    expect(await displayNames()).toEqual({ ada: 'ada', lin: 'Lin Wei' });
    // The enum really constrains the column.
    await expect(query(db.url, `select 'robot'::chat_message_role`)).rejects.toThrow(/invalid input value for enum/);
  });

  it('rolls everything back to knex\'s own tables, and latest applies it all again in one batch', async () => {
    expect(await knexCli('migrate:rollback', '--all')).toContain(`rolled back: ${migrationFiles.length} migrations`);
    expect(await publicTables()).toEqual(knexTables);
    expect(await publicEnums()).toEqual({});
    const indexes = await query<{ indexname: string }>(db.url, `select indexname from pg_indexes where schemaname = 'public' order by 1`);
    expect(indexes.map((r) => r.indexname)).toEqual(['knex_migrations_lock_pkey', 'knex_migrations_pkey']);
    const sequences = await query(db.url, `select sequencename from pg_sequences where schemaname = 'public' and sequencename not like 'knex_migrations%'`);
    expect(sequences).toEqual([]);

    expect(await knexCli('migrate:latest')).toContain(`Batch 1 run: ${migrationFiles.length} migrations`);
    expect(await publicTables()).toEqual([...sampleTables, ...knexTables].sort());
    const batches = await query<{ batch: number; n: number }>(db.url, 'select batch, count(*)::int as n from knex_migrations group by batch');
    expect(batches).toEqual([{ batch: 1, n: migrationFiles.length }]);
  });
});
