// The CLI as users and pipelines run it: a separate process, exit codes, JSON on stdout,
// one-line causes on stderr, and agreement with the knex CLI at every step.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createTestDatabase, query, urlFor, type TestDatabase } from './database';
import { migrationsFolder, tableMigration } from './targets';
import { runNodeAsync, runStepstone, type CliRun } from './run-cli';

const root = resolve(__dirname, '..');
const bin = join(root, 'bin', 'stepstone.cjs');
const home = mkdtempSync(join(tmpdir(), 'stepstone-cli-home-'));

type Run = CliRun;

function stepstone(args: string[], env: Record<string, string> = {}): Run {
  return runStepstone(args, { env: { STEPSTONE_HOME: home, ...env } });
}

function stepstoneAsync(args: string[]): Promise<Run> {
  return runNodeAsync(bin, args, { env: { STEPSTONE_HOME: home } });
}

/** `knex migrate:list` through the real knex CLI and the repo's knexfile.ts. */
function knexList(url: string): { completed: string[]; pending: string[] } {
  const res = spawnSync(process.execPath, [join(root, 'node_modules/knex/bin/cli.js'), 'migrate:list', '--knexfile', 'knexfile.ts', '--env', 'development'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: url, FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  expect(res.status, res.stderr).toBe(0);
  const out = res.stdout.replace(/\u001b\[[0-9;]*m/g, '');
  const section = (title: RegExp) => {
    const lines = out.split('\n');
    const start = lines.findIndex((l) => title.test(l));
    if (start < 0) return [];
    const names: string[] = [];
    for (const l of lines.slice(start + 1)) {
      if (!/^\s*\S+\.(ts|js)\s*$/.test(l)) break;
      names.push(l.trim());
    }
    return names;
  };
  return { completed: section(/Completed Migration/), pending: section(/Pending Migration/) };
}

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('cli');
});
afterAll(async () => {
  await db?.drop();
});

const sampleFiles = readdirSync(join(root, 'migrations')).filter((f) => f.endsWith('.ts')).sort();

function expectAgreement(url: string) {
  const status = stepstone(['status', '--db', url, '--migrations', 'migrations', '--json']);
  expect(status.code, status.stderr).toBe(0);
  const knex = knexList(url);
  expect(status.json.applied.map((a: { name: string }) => a.name)).toEqual(knex.completed);
  expect(status.json.pending.map((p: { name: string }) => p.name)).toEqual(knex.pending);
  return status.json;
}

describe('the sample project through the CLI', () => {
  it('upgrades, rolls back and agrees with knex migrate:list at every step', () => {
    const url = db.url;
    const before = expectAgreement(url);
    expect(before.pending).toHaveLength(sampleFiles.length);
    expect(before).toMatchObject({ applied: [], missing: [], edited: [], outOfOrder: [], lock: { locked: false } });

    const up = stepstone(['upgrade', '--db', url, '--migrations', 'migrations', '--yes', '--json', '--no-backup']);
    expect(up.code, up.stderr).toBe(0);
    expect(up.json.outcome).toBe('succeeded');
    expect(up.json.steps).toHaveLength(sampleFiles.length);
    const applied = expectAgreement(url);
    expect(applied.applied.map((a: any) => a.name)).toEqual(sampleFiles);
    expect(applied.applied[0]).toEqual(expect.objectContaining({ name: sampleFiles[0], batch: 1, appliedAt: expect.any(String) }));

    const back = stepstone(['rollback', '--db', url, '--migrations', 'migrations', '--yes', '--json', '--no-backup', '--to', sampleFiles[3]]);
    expect(back.code, back.stderr).toBe(0);
    expect(expectAgreement(url).applied.map((a: any) => a.name)).toEqual(sampleFiles.slice(0, 4));

    const upTo = stepstone(['upgrade', '--db', url, '--migrations', 'migrations', '--yes', '--json', '--no-backup', '--to', sampleFiles[6].replace(/\.ts$/, '')]);
    expect(upTo.code, upTo.stderr).toBe(0);
    expect(expectAgreement(url).applied.map((a: any) => a.name)).toEqual(sampleFiles.slice(0, 7));

    const step = stepstone(['rollback', '--db', url, '--migrations', 'migrations', '--yes', '--json', '--no-backup', '--step', '2']);
    expect(step.code, step.stderr).toBe(0);
    expect(expectAgreement(url).applied).toHaveLength(5);

    const history = stepstone(['history', '--db', url, '--migrations', 'migrations', '--json']);
    expect(history.json.map((h: any) => h.operation)).toEqual(['rollback', 'upgrade', 'rollback', 'upgrade']);

    const all = stepstone(['rollback', '--db', url, '--migrations', 'migrations', '--yes', '--json', '--no-backup', '--all']);
    expect(all.code, all.stderr).toBe(0);
    expectAgreement(url);
  });

  it('after rollback --all only the ledger tables remain', async () => {
    const tables = await query<{ tablename: string }>(db.url, "select tablename from pg_tables where schemaname = 'public' order by 1");
    expect(tables.map((t) => t.tablename).filter((t) => !t.startsWith('knex_') && !t.startsWith('stepstone_'))).toEqual([]);
    const types = await query(db.url, "select typname from pg_type t join pg_namespace n on n.oid = t.typnamespace where n.nspname = 'public' and t.typtype = 'e'");
    expect(types).toEqual([]);
  });

  it('the knex CLI can take over a database Stepstone migrated, and the other way round', () => {
    const knex = (cmd: string) =>
      spawnSync(process.execPath, [join(root, 'node_modules/knex/bin/cli.js'), cmd, '--knexfile', 'knexfile.ts', '--env', 'development'], { cwd: root, encoding: 'utf8', env: { ...process.env, DATABASE_URL: db.url } });
    expect(stepstone(['upgrade', '--db', db.url, '--migrations', 'migrations', '--yes', '--no-backup', '--to', sampleFiles[2]]).code).toBe(0);
    expect(knex('migrate:latest').status).toBe(0);
    expect(expectAgreement(db.url).pending).toEqual([]);
    expect(knex('migrate:rollback').status).toBe(0); // knex undoes its own batch
    const status = expectAgreement(db.url);
    expect(status.applied).toHaveLength(3);
    expect(stepstone(['rollback', '--db', db.url, '--migrations', 'migrations', '--yes', '--no-backup', '--all']).code).toBe(0);
    expect(expectAgreement(db.url).applied).toEqual([]);
  });
});

describe('a project folder with a knexfile', () => {
  it('reads the environment from the knexfile, as the knex CLI does, and names a missing environment', async () => {
    const own = await createTestDatabase('cli_knexfile');
    try {
      const env = { DATABASE_URL: own.url };
      const up = stepstone(['upgrade', '--knexfile', 'knexfile.ts', '--env', 'development', '--yes', '--json', '--no-backup', '--to', sampleFiles[1]], env);
      expect(up.code, up.stderr).toBe(0);
      const status = stepstone(['status', '--knexfile', 'knexfile.ts', '--env', 'development', '--json'], env);
      expect(status.json.applied.map((a: any) => a.name)).toEqual(sampleFiles.slice(0, 2));
      // Without --knexfile, the one in the current folder is used (with NODE_ENV or development).
      const implicit = stepstone(['status', '--json'], { ...env, NODE_ENV: 'development' });
      expect(implicit.json.applied).toHaveLength(2);
      const missing = stepstone(['status', '--knexfile', 'knexfile.ts', '--env', 'qa'], env);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(/no environment "qa".*development, staging, production/);
      const unset = stepstone(['status', '--knexfile', 'knexfile.ts', '--env', 'staging'], { ...env, STAGING_DATABASE_URL: '' });
      expect(unset.code).toBe(1);
      expect(unset.stderr).toMatch(/STAGING_DATABASE_URL/);
    } finally {
      await own.drop();
    }
  });
});

describe('bad input: a non-zero exit and a one-line cause', () => {
  const cases: [string, string[], RegExp][] = [
    ['malformed URL', ['status', '--db', 'postgres//nope', '--migrations', 'migrations'], /malformed/i],
    ['refused port', ['status', '--db', 'postgres://postgres@127.0.0.1:1/x', '--migrations', 'migrations'], /127\.0\.0\.1:1/],
    ['unreachable host', ['status', '--db', 'postgres://postgres@no-such-host.invalid:5432/x', '--migrations', 'migrations'], /no-such-host\.invalid/],
    ['missing database', ['status', '--db', urlForMissing(), '--migrations', 'migrations'], /does not exist/],
    ['missing folder', ['status', '--db', 'DBURL', '--migrations', '/nonexistent/folder'], /does not exist/],
    ['empty folder', ['upgrade', '--db', 'DBURL', '--migrations', 'EMPTYDIR', '--yes'], /No migration files in/],
    ['unknown target', ['upgrade', '--db', 'DBURL', '--migrations', 'migrations', '--to', '20990101_nothing', '--yes'], /No migration named 20990101_nothing/],
    ['unknown option', ['status', '--frobnicate'], /frobnicate/],
    ['a step count that is not a positive number', ['rollback', '--db', 'DBURL', '--migrations', 'migrations', '--step', '0', '--yes'], /--step must be a positive integer, not "0"/],
    ['two rollback targets at once', ['rollback', '--db', 'DBURL', '--migrations', 'migrations', '--step', '2', '--all', '--yes'], /Choose one of --step, --to and --all/],
    ['a migration name with nothing to name it by', ['new', '!!!', '--migrations', 'EMPTYDIR'], /no letters or digits/],
    ['an unknown command', ['migrate'], /Unknown command "migrate"/],
    ['no confirmation without a terminal', ['upgrade', '--db', 'DBURL', '--migrations', 'migrations'], /--yes/],
  ];
  for (const [label, args, pattern] of cases) {
    it(label, () => {
      const run = stepstone(args.map((a) => (a === 'DBURL' ? db.url : a === 'EMPTYDIR' ? mkdtempSync(join(tmpdir(), 'stepstone-empty-')) : a)));
      expect(run.code).not.toBe(0);
      const lines = run.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(pattern);
    });
  }

  it('a migration that throws: non-zero exit, history records it, lock released', async () => {
    const own = await createTestDatabase('cli_fail');
    const dir = migrationsFolder({
      '20250101000000_ok.js': tableMigration('cli_ok'),
      '20250102000000_boom.js': "exports.up = (knex) => knex.raw('select 1/0'); exports.down = async () => {};",
    });
    try {
      const run = stepstone(['upgrade', '--db', own.url, '--migrations', dir, '--yes', '--json', '--no-backup']);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/20250102000000_boom\.js failed: .*division by zero.*Nothing applied/);
      expect(run.json.outcome).toBe('failed');
      const status = stepstone(['status', '--db', own.url, '--migrations', dir, '--json']);
      expect(status.json.applied).toEqual([]);
      expect(status.json.lock.locked).toBe(false);
      const history = stepstone(['history', '--db', own.url, '--migrations', dir, '--json', '--outcome', 'failed']);
      expect(history.json[0]).toMatchObject({ operation: 'upgrade', outcome: 'failed', error: { migration: '20250102000000_boom.js' } });
    } finally {
      await own.drop();
    }
  });

  it('two processes upgrading at once: each migration applied once, the loser told why', async () => {
    const own = await createTestDatabase('cli_race');
    const dir = migrationsFolder({
      '20250101000000_slow.js': "exports.up = async (knex) => { await knex.raw('select pg_sleep(1)'); await knex.schema.createTable('race', (t) => t.increments()); }; exports.down = (knex) => knex.schema.dropTable('race');",
      '20250102000000_next.js': tableMigration('race_next'),
    });
    try {
      const args = ['upgrade', '--db', own.url, '--migrations', dir, '--yes', '--json', '--no-backup'];
      const [a, b] = await Promise.all([stepstoneAsync(args), stepstoneAsync(args)]);
      const codes = [a.code, b.code].sort();
      const loser = a.code === 0 ? b : a;
      expect(codes[0]).toBe(0);
      // The loser either found the lock taken or, arriving later, nothing left to do.
      if (loser.code !== 0) expect(loser.stderr).toMatch(/Another process is migrating|changed since/);
      else expect(loser.json.steps).toEqual([]);
      const rows = await query<{ name: string }>(own.url, 'select name from knex_migrations order by id');
      expect(rows.map((r) => r.name)).toEqual(['20250101000000_slow.js', '20250102000000_next.js']);
    } finally {
      await own.drop();
    }
  });
});

describe('unlock', () => {
  it('releases a stale lock, records it, and succeeds quietly when the lock is free', async () => {
    const own = await createTestDatabase('cli_unlock');
    try {
      const args = ['--db', own.url, '--migrations', 'migrations'];
      expect(stepstone(['upgrade', ...args, '--yes', '--no-backup', '--to', sampleFiles[0]]).code).toBe(0);
      await query(own.url, 'update knex_migrations_lock set is_locked = 1');
      expect(stepstone(['status', ...args, '--json']).json.lock).toMatchObject({ locked: true, state: 'stale' });
      const refused = stepstone(['upgrade', ...args, '--yes', '--no-backup']);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/lock/i);
      const unlock = stepstone(['unlock', ...args, '--json']);
      expect(unlock.code, unlock.stderr).toBe(0);
      expect(unlock.json).toMatchObject({ locked: false, state: 'free' });
      const again = stepstone(['unlock', ...args]);
      expect(again.code).toBe(0);
      expect(again.stdout).toMatch(/not set/);
      expect(stepstone(['history', ...args, '--json', '--operation', 'unlock']).json).toHaveLength(1);
    } finally {
      await own.drop();
    }
  });
});

describe('new and init', () => {
  it('creates a migration file named like knex migrate:make, and init never overwrites', () => {
    const folder = mkdtempSync(join(tmpdir(), 'stepstone-init-'));
    const init = stepstone(['init', folder, '--json']);
    expect(init.code, init.stderr).toBe(0);
    expect(existsSync(join(folder, 'knexfile.ts'))).toBe(true);
    const again = stepstone(['init', folder]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exist/);
    const created = stepstone(['new', 'Add email to users', '--migrations', join(folder, 'migrations'), '--json']);
    expect(created.code, created.stderr).toBe(0);
    expect(created.json.name).toMatch(/^\d{14}_add_email_to_users\.ts$/);
    expect(readFileSync(created.json.path, 'utf8')).toMatch(/export async function down/);
    const js = stepstone(['new', 'seed_roles', '--js', '--migrations', join(folder, 'migrations'), '--json']);
    expect(js.json.name).toMatch(/_seed_roles\.js$/);
  });
});

function urlForMissing(): string {
  return urlFor('stepstone_no_such_database');
}
