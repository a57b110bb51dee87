// Messages that named the wrong cause (issue 10, defect 12): each now says what is really wrong and
// what to do, on one line, with a non-zero exit, and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, query, type TestDatabase } from './database';
import { migrationsFolder, tableMigration } from './targets';
import { runStepstone, type CliRun } from './run-cli';

const home = mkdtempSync(join(tmpdir(), 'stepstone-messages-home-'));
const work = mkdtempSync(join(tmpdir(), 'stepstone-messages-'));
const folder = migrationsFolder({ '20250101000000_things.js': tableMigration('things') });
let db: TestDatabase;

function stepstone(args: string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}): CliRun {
  return runStepstone(args, { cwd: options.cwd, env: { STEPSTONE_HOME: home, ...options.env } });
}

/** One line on stderr matching `pattern`, not matching `not`, and the exit code. */
function expectMessage(run: CliRun, code: number, pattern: RegExp, not?: RegExp): void {
  expect(run.code, run.stderr).toBe(code);
  const lines = run.stderr.trim().split('\n');
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  if (not) expect(lines[0]).not.toMatch(not);
}

beforeAll(async () => {
  db = await createTestDatabase('cli_messages');
});
afterAll(async () => {
  await db?.drop();
  for (const dir of [home, work, folder]) rmSync(dir, { recursive: true, force: true });
});

const urlWith = (change: (u: URL) => void) => {
  const u = new URL(db.url);
  change(u);
  return u.toString();
};

describe('messages that name the real cause', () => {
  it('a malformed percent-escape in the URL: which part, and how to write a %', () => {
    const password = stepstone(['status', '--db', urlWith((u) => (u.password = 'se%zzcret')), '--migrations', folder]);
    expectMessage(password, 1, /The password in the database URL has a "%" not followed by two hexadecimal digits.*%25/, /URI malformed|se%zzcret|zzcret/);
    const database = stepstone(['status', '--db', urlWith((u) => (u.pathname = '/app%zz')), '--migrations', folder]);
    expectMessage(database, 1, /The database name in the database URL has a "%" not followed by two hexadecimal digits \("%zz"\).*%25/, /URI malformed/);
    const user = stepstone(['status', '--db', urlWith((u) => (u.username = 'ad%4')), '--migrations', folder]);
    expectMessage(user, 1, /The user name in the database URL has a "%"/, /URI malformed/);
  });

  it('init on a file, or below one: the file is named, not an EEXIST from mkdir', () => {
    const file = join(work, 'a-file');
    writeFileSync(file, 'not a folder');
    expectMessage(stepstone(['init', file]), 1, new RegExp(`${file} is a file, not a folder`), /EEXIST|mkdir/);
    expectMessage(stepstone(['init', join(file, 'deeper')]), 1, new RegExp(`${file} is a file, not a folder`), /ENOTDIR|mkdir/);
  });

  it('an unusable --table-name is refused before connecting, naming the option (exit 2)', async () => {
    expectMessage(stepstone(['status', '--db', db.url, '--migrations', folder, '--table-name', 'ops.ledger']), 2, /--table-name "ops\.ledger".*"\."/, /invalid name syntax|Could not connect/);
    expectMessage(stepstone(['status', '--db', db.url, '--migrations', folder, '--table-name', 'x'.repeat(60)]), 2, /--table-name .* 60 bytes.*at most 58/);
    expectMessage(stepstone(['status', '--db', db.url, '--migrations', folder, '--schema-name', 'x'.repeat(64)]), 2, /--schema-name .* 64 bytes.*at most 63/);
    // A quote is a legal character of a quoted name, as Knex quotes it: it works rather than fail with "invalid name syntax".
    const quoted = stepstone(['upgrade', '--db', db.url, '--migrations', folder, '--table-name', 'my"ledger', '--yes', '--no-backup']);
    expect(quoted.code, quoted.stderr).toBe(0);
    expect(await query(db.url, `select count(*)::int as n from "my""ledger"`)).toEqual([{ n: 1 }]);
    const status = stepstone(['status', '--db', db.url, '--migrations', folder, '--table-name', 'my"ledger', '--json']);
    expect(status.code, status.stderr).toBe(0);
    expect(status.json.applied).toHaveLength(1);
    expect(status.json.lock.locked).toBe(false);
  });

  it('a 100,000-character database name: too long for PostgreSQL, not a port that belongs to another service', () => {
    const run = stepstone(['status', '--db', urlWith((u) => (u.pathname = `/${'d'.repeat(100_000)}`)), '--migrations', folder]);
    expectMessage(run, 1, /The database name in the database URL is 100000 bytes long; PostgreSQL names are at most 63 bytes/, /port belongs|closed the connection/);
    expect(run.stderr.length).toBeLessThan(1000);
  });

  it('a knexfile with no environments and --env staging: says so, and names the variable it reads', () => {
    const project = join(work, 'flat');
    mkdirSync(project);
    writeFileSync(join(project, 'knexfile.js'), `module.exports = { client: 'pg', connection: process.env.DATABASE_URL, migrations: { directory: ${JSON.stringify(folder)} } };\n`);
    const unset = stepstone(['status', '--env', 'staging'], { cwd: project, env: { DATABASE_URL: undefined } });
    expectMessage(unset, 1, /This knexfile's connection comes from DATABASE_URL, which is not set\. .*one configuration for every environment \(no "staging" section\)/, /development/);
    // With the variable set it works, and says that --env chose nothing.
    const set = stepstone(['status', '--env', 'staging', '--json'], { cwd: project, env: { DATABASE_URL: db.url } });
    expect(set.code, set.stderr).toBe(0);
    expect(set.stderr).toMatch(/no "staging" section.*--env staging/);
    expect(existsSync(join(project, 'migrations'))).toBe(false);
  });

  it('a password in --db: one warning on stderr pointing to PGPASSWORD, ~/.pgpass and knexfiles; none for DATABASE_URL', () => {
    // The test server trusts local connections, so the password only has to be noticed.
    const withPassword = urlWith((u) => (u.password = 'visible-in-ps'));
    const status = stepstone(['status', '--db', withPassword, '--migrations', folder, '--json']);
    expect(status.code, status.stderr).toBe(0);
    expect(status.json.database).toBe(db.name);
    const warnings = status.stderr.split('\n').filter((l) => /password in --db/.test(l));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/ps shows command lines.*PGPASSWORD.*~\/\.pgpass.*knexfile/);
    expect(status.stderr).not.toContain('visible-in-ps');
    // new resolves the target twice (settings, then the knexfile): still one warning.
    const created = stepstone(['new', 'warned_once', '--db', withPassword, '--migrations', join(work, 'new-migrations')]);
    expect(created.stderr.split('\n').filter((l) => /password in --db/.test(l))).toHaveLength(1);
    expect(stepstone(['status', '--db', db.url, '--migrations', folder]).stderr).not.toMatch(/password/);
    expect(stepstone(['status', '--migrations', folder], { env: { DATABASE_URL: withPassword } }).stderr).not.toMatch(/password/);
  });
});

describe('a failed run on stderr', () => {
  it("one sentence per part: a migration's message that ends with a full stop gets no second one", async () => {
    const failing = migrationsFolder({
      '20250101000000_refuses.js': "exports.up = async () => { throw new Error('Recreate the type by hand if you must.'); };\nexports.down = async () => {};\n",
    });
    try {
      const run = stepstone(['upgrade', '--yes', '--no-backup', '--db', db.url, '--migrations', failing]);
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toMatch(/if you must\. Nothing applied/);
      expect(run.stderr).not.toMatch(/\.\./);
      expect(await query(db.url, `select to_regclass('knex_migrations') is null or not exists (select 1 from knex_migrations) as untouched`)).toEqual([{ untouched: true }]);
    } finally {
      rmSync(failing, { recursive: true, force: true });
    }
  });
});
