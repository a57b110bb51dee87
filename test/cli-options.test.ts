// Each command takes its own options (issue 10, defect 1): an option a command does not take is
// exit 2 naming both, `upgrade --step N` applies the next N pending migrations as knex's
// `migrate:up` does one, `<command> --help` lists that command's options, and knex's spellings work.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, query, type TestDatabase } from './database';
import { migrationsFolder, tableMigration } from './targets';
import { ROOT, runNodeAsync, runStepstone, type CliRun } from './run-cli';

const home = mkdtempSync(join(tmpdir(), 'stepstone-cli-options-home-'));
const knexCli = join(ROOT, 'node_modules', 'knex', 'bin', 'cli.js');
const NAMES = ['20250101000000_a.js', '20250102000000_b.js', '20250103000000_c.js', '20250104000000_d.js', '20250105000000_e.js'];
const folder = migrationsFolder(Object.fromEntries(NAMES.map((n, i) => [n, tableMigration(`opt_t${i}`)])));

function stepstone(args: string[]): CliRun {
  return runStepstone(args, { env: { STEPSTONE_HOME: home } });
}

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('cli_options');
});
afterAll(async () => {
  await db?.drop();
  rmSync(home, { recursive: true, force: true });
  rmSync(folder, { recursive: true, force: true });
});

async function ledger(url: string, table = 'knex_migrations'): Promise<{ name: string; batch: number }[]> {
  const exists = await query<{ t: string | null }>(url, `select to_regclass('public.${table}')::text as t`);
  return exists[0].t ? query(url, `select name, batch from ${table} order by id`) : [];
}

const target = () => ['--db', db.url, '--migrations', folder];

/** One line on stderr, exit 2, and the database untouched. */
async function expectUsageError(args: string[], pattern: RegExp): Promise<void> {
  const before = await ledger(db.url);
  const run = stepstone(args);
  expect(run.code, run.stderr).toBe(2);
  const lines = run.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(await ledger(db.url)).toEqual(before);
}

describe('options per command', () => {
  it('refuses an option the command does not take, naming the option and the command (exit 2)', async () => {
    await expectUsageError(['upgrade', ...target(), '--all', '--yes', '--no-backup'], /upgrade does not take --all/);
    await expectUsageError(['status', ...target(), '--to', NAMES[0]], /status does not take --to/);
    await expectUsageError(['status', ...target(), '--yes'], /status does not take --yes/);
    await expectUsageError(['history', ...target(), '--step', '1'], /history does not take --step/);
    await expectUsageError(['backups', ...target(), '--force'], /backups does not take --force/);
    await expectUsageError(['status', ...target(), '--frobnicate'], /status does not take --frobnicate/);
    // Before the command, too: options belong to the command wherever they are written.
    await expectUsageError(['--into', 'x', 'status', ...target()], /status does not take --into/);
  });

  it('refuses arguments the command does not take, a boolean given a value and an option given twice', async () => {
    await expectUsageError(['status', 'extra', ...target()], /status takes no arguments.*"extra"/);
    await expectUsageError(['restore', 'a', 'b', ...target()], /restore takes one argument/);
    await expectUsageError(['status', ...target(), '--json=yes'], /--json takes no value/);
    await expectUsageError(['status', '--db', db.url, '--db', db.url, '--migrations', folder], /--db is given twice/);
    await expectUsageError(['status', ...target(), '--db'], /--db needs a value/);
  });

  it('refuses --step out of range, negative or not a number, and an empty --to, before touching anything', async () => {
    for (const command of ['upgrade', 'rollback']) {
      await expectUsageError([command, ...target(), '--step', '99999999999999999999999', '--yes', '--no-backup'], /--step 99999999999999999999999 is out of range/);
      await expectUsageError([command, ...target(), '--step', '-1', '--yes', '--no-backup'], /--step must be a positive integer, not "-1"/);
      await expectUsageError([command, ...target(), '--step', '1e3', '--yes', '--no-backup'], /--step must be a positive integer, not "1e3"/);
      await expectUsageError([command, ...target(), '--step', '0', '--yes', '--no-backup'], /--step must be a positive integer, not "0"/);
      await expectUsageError([command, ...target(), '--to', '', '--yes', '--no-backup'], /--to is empty/);
      await expectUsageError([command, ...target(), '--to=', '--yes', '--no-backup'], /--to is empty/);
    }
    await expectUsageError(['upgrade', ...target(), '--step', '1', '--to', NAMES[2], '--yes', '--no-backup'], /Choose one of --to and --step/);
    await expectUsageError(['plan', 'upgrade', ...target(), '--step', 'two'], /--step must be a positive integer/);
    await expectUsageError(['history', ...target(), '--limit', '99999999999999999999999'], /--limit .* is out of range/);
  });
});

describe('upgrade --step', () => {
  it('applies the next N pending migrations in a new batch each time, as knex migrate:up does for one', async () => {
    const mine = db.url;
    const theirs = await createTestDatabase('cli_options_knex');
    try {
      const one = stepstone(['upgrade', ...target(), '--step', '1', '--yes', '--no-backup', '--json']);
      expect(one.code, one.stderr).toBe(0);
      expect(one.json.plan.request).toEqual({ kind: 'upgrade', steps: 1 });
      expect(one.json.steps.map((s: { name: string }) => s.name)).toEqual([NAMES[0]]);
      // The knex CLI's migrate:up on a twin database applies the same one migration.
      const knexfile = join(folder, '..', `knexfile-${theirs.name}.js`);
      writeFileSync(knexfile, `module.exports = { client: 'pg', connection: ${JSON.stringify(theirs.url)}, migrations: { directory: ${JSON.stringify(folder)} } };\n`);
      try {
        const up = await runNodeAsync(knexCli, ['migrate:up', '--knexfile', knexfile], { cwd: ROOT, env: { KNEX_PATH: join(ROOT, 'node_modules', 'knex', 'knex.js') } });
        expect(up.code, up.stderr).toBe(0);
      } finally {
        rmSync(knexfile, { force: true });
      }
      expect(await ledger(mine)).toEqual(await ledger(theirs.url));

      const two = stepstone(['upgrade', ...target(), '--step', '2', '--yes', '--no-backup']);
      expect(two.code, two.stderr).toBe(0);
      expect(await ledger(mine)).toEqual([
        { name: NAMES[0], batch: 1 },
        { name: NAMES[1], batch: 2 },
        { name: NAMES[2], batch: 2 },
      ]);
      // More than is pending applies what is pending.
      const rest = stepstone(['upgrade', ...target(), '--step', '10', '--yes', '--no-backup']);
      expect(rest.code, rest.stderr).toBe(0);
      expect((await ledger(mine)).map((r) => r.name)).toEqual(NAMES);
      const none = stepstone(['upgrade', ...target(), '--step', '1', '--yes', '--no-backup']);
      expect(none.code, none.stderr).toBe(0);
      expect(none.stdout).toMatch(/Already up to date/);

      // Back to one applied for the plan and sql checks below.
      const back = stepstone(['rollback', ...target(), '--step', '4', '--yes', '--no-backup']);
      expect(back.code, back.stderr).toBe(0);
      expect((await ledger(mine)).map((r) => r.name)).toEqual([NAMES[0]]);
    } finally {
      await theirs.drop();
    }
  });

  it('plan upgrade --step N and sql upgrade --step N show the same next N migrations', async () => {
    const plan = stepstone(['plan', 'upgrade', ...target(), '--step', '2', '--json']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.json.plan.steps.map((s: { name: string }) => s.name)).toEqual([NAMES[1], NAMES[2]]);
    const sql = stepstone(['sql', 'upgrade', ...target(), '--step', '1']);
    expect(sql.code, sql.stderr).toBe(0);
    expect(sql.stdout).toContain('opt_t1');
    expect(sql.stdout).not.toContain('opt_t2');
    expect((await ledger(db.url)).map((r) => r.name)).toEqual([NAMES[0]]);
  });
});

describe('help, version and knex spellings', () => {
  it('<command> --help and help <command> list that command’s options only', () => {
    const upgrade = stepstone(['upgrade', '--help']);
    expect(upgrade.code).toBe(0);
    expect(upgrade.stdout).toMatch(/^Usage: stepstone upgrade/m);
    expect(upgrade.stdout).toMatch(/--step <n>/);
    expect(upgrade.stdout).toMatch(/--to <name>/);
    expect(upgrade.stdout).toMatch(/--migrations-directory/);
    expect(upgrade.stdout).not.toMatch(/--all\b/);
    const rollback = stepstone(['help', 'rollback']);
    expect(rollback.code).toBe(0);
    expect(rollback.stdout).toMatch(/--all/);
    const status = stepstone(['status', '-h']);
    expect(status.stdout).not.toMatch(/--yes/);
    const all = stepstone(['--help']);
    expect(all.code).toBe(0);
    for (const command of ['status', 'upgrade', 'rollback', 'history', 'unlock', 'new', 'init', 'backup', 'backups', 'restore', 'verify', 'plan', 'sql', 'drift']) {
      expect(all.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
    expect(stepstone(['help', 'nope']).code).toBe(2);
  });

  it('--version prints the version from package.json', () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    for (const flag of ['--version', '-V']) {
      const run = stepstone([flag]);
      expect(run.code).toBe(0);
      expect(run.stdout.trim()).toBe(`stepstone ${version}`);
    }
  });

  it('accepts the knex CLI spellings --connection, --migrations-directory and --migrations-table-name', async () => {
    const own = await createTestDatabase('cli_options_alias');
    try {
      const up = stepstone(['upgrade', '--connection', own.url, '--migrations-directory', folder, '--migrations-table-name', 'ops_ledger', '--step', '1', '--yes', '--no-backup']);
      expect(up.code, up.stderr).toBe(0);
      expect(await ledger(own.url, 'ops_ledger')).toEqual([{ name: NAMES[0], batch: 1 }]);
      expect(await ledger(own.url)).toEqual([]);
      const status = stepstone(['status', '--db', own.url, '--migrations', folder, '--table-name', 'ops_ledger', '--json']);
      expect(status.json.applied.map((a: { name: string }) => a.name)).toEqual([NAMES[0]]);
      // An alias and its option together are one option given twice.
      const twice = stepstone(['status', '--db', own.url, '--connection', own.url, '--migrations', folder]);
      expect(twice.code).toBe(2);
      expect(twice.stderr).toMatch(/--db is given twice/);
    } finally {
      await own.drop();
    }
  });
});
