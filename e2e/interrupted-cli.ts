/**
 * Real interruptions made with the real CLI, for specs: a non-transactional migration whose CLI is
 * SIGKILLed while its CONCURRENTLY statement waits behind an open transaction, and a CLI killed in
 * the middle of a backup or a restore. Polls the server (no fixed sleeps) for the moment to kill.
 */
import { spawn } from 'node:child_process';
import pg from 'pg';
import { query } from '../test/database';
import { ROOT, STEPSTONE_BIN, runStepstone, type CliRun } from '../test/run-cli';
import { createTableMigration, makeProject, type TempProject } from './temp-project';

/** Wait until `read` gives something truthy (polled), or fail naming `what`. */
export async function until<T>(what: string, read: () => Promise<T | null | undefined | false>, everyMs = 50): Promise<T> {
  for (let i = 0; i < 1200; i++) {
    const value = await read();
    if (value) return value;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

/** The CLI on `url` with `migrations` and `home`, to its end. */
export function cli(args: readonly string[], url: string, migrations: string, home: string): CliRun {
  return runStepstone([...args, '--db', url, '--migrations', migrations, '--home', home]);
}

/** Runs the CLI and SIGKILLs it once `ready` says so; throws when it ended by itself first. */
export async function killCliWhen(args: readonly string[], url: string, migrations: string, home: string, ready: () => Promise<boolean>): Promise<void> {
  const child = spawn(process.execPath, [STEPSTONE_BIN, ...args, '--db', url, '--migrations', migrations, '--home', home], {
    cwd: ROOT,
    stdio: 'ignore',
    env: { ...process.env, NO_COLOR: '1' },
  });
  let exited = false;
  const done = new Promise((r) => child.once('exit', () => ((exited = true), r(null))));
  await until(`${args[0]} to reach the moment to kill it`, async () => exited || (await ready()), 20);
  if (exited) throw new Error(`stepstone ${args.join(' ')} ended before it could be killed`);
  child.kill('SIGKILL');
  await done;
}

/**
 * Runs the CLI and stops it (SIGSTOP) once `ready` says so: it is interrupted but still alive, so what it
 * made is not stale yet (no other Stepstone process drops it meanwhile). `kill()` ends it for good.
 */
export async function stopCliWhen(
  args: readonly string[],
  url: string,
  migrations: string,
  home: string,
  ready: () => Promise<boolean>,
): Promise<{ pid: number; kill(): Promise<void> }> {
  const child = spawn(process.execPath, [STEPSTONE_BIN, ...args, '--db', url, '--migrations', migrations, '--home', home], {
    cwd: ROOT,
    stdio: 'ignore',
    env: { ...process.env, NO_COLOR: '1' },
  });
  let exited = false;
  const done = new Promise((r) => child.once('exit', () => ((exited = true), r(null))));
  await until(`${args[0]} to reach the moment to stop it`, async () => exited || (await ready()), 20);
  if (exited) throw new Error(`stepstone ${args.join(' ')} ended before it could be stopped`);
  child.kill('SIGSTOP');
  return {
    pid: child.pid!,
    async kill() {
      if (!exited) child.kill('SIGKILL');
      await done;
    },
  };
}

/** The backend on `url`'s database running a statement like `pattern` (ILIKE), or null. */
export async function backendRunning(url: string, pattern: string): Promise<number | null> {
  const rows = await query<{ pid: number }>(url, `select pid from pg_stat_activity where datname = current_database() and query ilike $1 and state = 'active' and pid <> pg_backend_pid()`, [pattern]);
  return rows[0]?.pid ?? null;
}

/** An open transaction that ran `sql`: a CONCURRENTLY build or drop on its table waits for it. `commit()` ends it. */
export async function openTransaction(url: string, sql: string): Promise<{ commit(): Promise<void> }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('begin');
  await client.query(sql);
  return {
    async commit() {
      await client.query('commit').catch(() => undefined);
      await client.end().catch(() => undefined);
    },
  };
}

/** Whether index `name` exists, and whether PostgreSQL marks it valid; null when it does not exist. */
export async function indexState(url: string, name: string): Promise<{ valid: boolean } | null> {
  const rows = await query<{ valid: boolean }>(url, 'select i.indisvalid as valid from pg_index i where i.indexrelid = to_regclass($1)', [name]);
  return rows[0] ?? null;
}

/** The three migrations of the interrupted-index specs: a table, a CONCURRENTLY index on it (no transaction), another table. */
export const THINGS = '20250101000001_things.js';
export const INDEX = '20250101000002_things_name_index.js';
export const MORE = '20250101000003_more.js';
export const INDEX_NAME = 'public.things_name_idx';

export function concurrentIndexProject(label: string): TempProject {
  return makeProject(label, [
    createTableMigration(THINGS, 'things', "t.string('name');"),
    {
      name: INDEX,
      config: '{ transaction: false }',
      up: "await knex.raw('create index concurrently things_name_idx on things (name)');",
      down: "await knex.raw('drop index concurrently things_name_idx');",
    },
    createTableMigration(MORE, 'more'),
  ]);
}

/**
 * THINGS applied, then an upgrade SIGKILLed while its CREATE INDEX CONCURRENTLY waits behind an open
 * transaction (returned, still open: the build goes on waiting until it ends).
 */
export async function interruptIndexBuild(url: string, migrations: string, home: string): Promise<{ commit(): Promise<void> }> {
  const first = cli(['upgrade', '--to', THINGS.replace(/\.js$/, ''), '--yes', '--no-backup'], url, migrations, home);
  if (first.code !== 0) throw new Error(`upgrade --to ${THINGS} failed: ${first.stderr}`);
  const hold = await openTransaction(url, "insert into things (name) values ('x')");
  await killCliWhen(['upgrade', '--yes', '--no-backup'], url, migrations, home, async () => (await backendRunning(url, 'create index concurrently%')) !== null);
  return hold;
}
