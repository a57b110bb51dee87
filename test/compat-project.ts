// Throwaway Knex projects for the compatibility tests (test/compat-*.test.ts): each in its own temporary
// folder and fresh database, with runners for Stepstone's CLI and the knex CLI and the checks that the
// two agree. A test file calls `afterAll(cleanUp)`; what a case adds itself goes through `cleanUpLater`.
import { expect } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createTestDatabase, query, type TestDatabase } from './database';
import { runNodeAsync, type CliRun } from './run-cli';

const root = resolve(__dirname, '..');
const bin = join(root, 'bin', 'stepstone.cjs');
const knexCli = join(root, 'node_modules', 'knex', 'bin', 'cli.js');
const home = mkdtempSync(join(tmpdir(), 'stepstone-compat-home-'));
const cleanups: (() => Promise<void> | void)[] = [];

/** Each case runs a dozen CLI processes (ours and the knex CLI), several cases at once: on a loaded
 * 2-core machine one took over a minute, so the safety net is wider than the suite's default. */
export const COMPAT_CASE_TIMEOUT_MS = 180_000;

/** Something to undo once the file's cases are done (e.g. a database a case restored into). */
export function cleanUpLater(cleanup: () => Promise<void> | void): void {
  cleanups.push(cleanup);
}

/** Undoes every project and everything registered, in order: a test file's `afterAll`. */
export async function cleanUp(): Promise<void> {
  for (const cleanup of cleanups) await cleanup();
}

type Run = CliRun;

/** Run a node script; NODE_ENV is removed unless given (vitest sets it to "test"). */
function runNode(script: string, args: string[], cwd: string, env: Record<string, string | undefined> = {}): Promise<Run> {
  return runNodeAsync(script, args, { cwd, env: { STEPSTONE_HOME: home, NODE_ENV: undefined, ...env } });
}

export interface Project {
  dir: string;
  db: TestDatabase;
  knexfile: string;
  env: string;
  /** Where the ledger lives, e.g. `ops.app_migrations`. */
  ledger: string;
}

interface ProjectShape {
  label: string;
  /** Files relative to the project folder; `URL` in a text is replaced by the database URL. */
  files: Record<string, string>;
  knexfile?: string;
  env?: string;
  ledger?: string;
  /** Link the repo's node_modules in (as `npm install` would); false leaves the folder bare. */
  nodeModules?: boolean;
  /** SQL run on the fresh database first (e.g. creating the schema knex expects). */
  setup?: string;
}

export async function makeProject(shape: ProjectShape): Promise<Project> {
  const db = await createTestDatabase(`compat_${shape.label}`);
  const dir = mkdtempSync(join(tmpdir(), `stepstone-compat-${shape.label}-`));
  cleanups.push(() => db.drop(), () => rmSync(dir, { recursive: true, force: true }));
  for (const [file, text] of Object.entries(shape.files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text.replaceAll('URL', db.url));
  }
  if (shape.nodeModules !== false) symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  if (shape.setup) await query(db.url, shape.setup);
  return { dir, db, knexfile: join(dir, shape.knexfile ?? 'knexfile.js'), env: shape.env ?? 'development', ledger: shape.ledger ?? 'knex_migrations' };
}

export function stepstone(p: Project, args: string[], options: { cwd?: string; env?: Record<string, string | undefined>; flags?: boolean } = {}): Promise<Run> {
  const target = options.flags === false ? [] : ['--knexfile', p.knexfile, '--env', p.env];
  return runNode(bin, [...args, ...target], options.cwd ?? root, options.env);
}

/** The knex CLI's own verdict; `KNEX_PATH` lets it find knex for folders with no node_modules. */
export async function knex(p: Project, args: string[], options: { cwd?: string; env?: Record<string, string | undefined>; flags?: boolean } = {}): Promise<Run> {
  const target = options.flags === false ? [] : ['--knexfile', p.knexfile, '--env', p.env];
  return runNode(knexCli, [...args, ...target], options.cwd ?? p.dir, { KNEX_PATH: join(root, 'node_modules', 'knex', 'knex.js'), ...options.env });
}

/** `knex migrate:list` parsed into completed and pending names. */
async function knexList(p: Project, options: Parameters<typeof knex>[2] = {}): Promise<{ completed: string[]; pending: string[] }> {
  const res = await knex(p, ['migrate:list'], options);
  expect(res.code, `knex migrate:list failed: ${res.stderr}${res.stdout}`).toBe(0);
  const lines = res.stdout.replace(/\u001b\[[0-9;]*m/g, '').split('\n');
  const section = (kind: string) => {
    const at = lines.findIndex((l) => new RegExp(`^Found \\d+ ${kind} Migration`).test(l));
    if (at < 0) return [];
    const count = Number(/^Found (\d+)/.exec(lines[at])![1]);
    return lines.slice(at + 1, at + 1 + count).map((l) => l.trim());
  };
  return { completed: section('Completed'), pending: section('Pending') };
}

export const names = (items: { name: string }[]) => items.map((i) => i.name);

/** Stepstone's status and knex's list agree; returns Stepstone's status. */
export async function expectAgreement(p: Project, options: Parameters<typeof knex>[2] = {}): Promise<any> {
  // One after the other: on a fresh database `knex migrate:list` creates its tables, and a status read
  // meanwhile rightly reports that other session as a live holder of the ledger.
  const status = await stepstone(p, ['status', '--json'], options);
  const list = await knexList(p, options);
  expect(status.code, status.stderr).toBe(0);
  expect({ applied: names(status.json.applied), pending: names(status.json.pending) }).toEqual({ applied: list.completed, pending: list.pending });
  expect(status.json).toMatchObject({ missing: [], outOfOrder: [], lock: { locked: false } });
  return status.json;
}

export async function ledgerRows(p: Project): Promise<{ name: string; batch: number }[]> {
  const [schema, table] = p.ledger.includes('.') ? p.ledger.split('.') : [null, p.ledger];
  const found = await query<{ t: string | null }>(p.db.url, 'select to_regclass($1)::text as t', [schema ? `"${schema}"."${table}"` : `"${table}"`]);
  if (!found[0].t) return [];
  return query(p.db.url, `select name, batch from ${schema ? `"${schema}".` : ''}"${table}" order by id`);
}

/** Tables that are neither a knex ledger (`*_migrations`, `*_migrations_lock`) nor Stepstone's. */
export async function userTables(p: Project): Promise<string[]> {
  const rows = await query<{ t: string }>(
    p.db.url,
    "select table_schema || '.' || table_name as t from information_schema.tables where table_schema not in ('pg_catalog', 'information_schema') order by 1",
  );
  return rows.map((r) => r.t).filter((t) => !/\.stepstone_/.test(t) && !/_migrations(_lock)?$/.test(t));
}

/**
 * The common cycle: all pending and agreeing; Stepstone applies everything in one batch in knex's
 * order; rolls everything back; then the knex CLI applies the same folder and records the same
 * ledger Stepstone did (when `knexRuns`), and rolls back in turn.
 */
export async function upgradeAndRollBack(p: Project, options: { knexRuns?: boolean; tables?: string[] } = {}): Promise<string[]> {
  const before = await expectAgreement(p);
  const order = names(before.pending);
  expect(before.applied).toEqual([]);

  const up = await stepstone(p, ['upgrade', '--yes', '--no-backup', '--json']);
  expect(up.code, up.stderr).toBe(0);
  expect(up.json.outcome).toBe('succeeded');
  await expectAgreement(p);
  const stepstoneLedger = await ledgerRows(p);
  expect(stepstoneLedger).toEqual(order.map((name) => ({ name, batch: 1 })));
  if (options.tables) expect(await userTables(p)).toEqual(options.tables);

  const down = await stepstone(p, ['rollback', '--all', '--yes', '--no-backup', '--json']);
  expect(down.code, down.stderr).toBe(0);
  expect(names((await expectAgreement(p)).pending)).toEqual(order);
  expect(await ledgerRows(p)).toEqual([]);
  expect(await userTables(p)).toEqual([]);

  if (options.knexRuns !== false) {
    const latest = await knex(p, ['migrate:latest']);
    expect(latest.code, latest.stderr).toBe(0);
    expect(await ledgerRows(p)).toEqual(stepstoneLedger);
    await expectAgreement(p);
    const back = await knex(p, ['migrate:rollback', '--all']);
    expect(back.code, back.stderr).toBe(0);
    expect(await userTables(p)).toEqual([]);
    expect((await expectAgreement(p)).applied).toEqual([]);
  }
  return order;
}

/** A CommonJS migration returning knex's promise (not async), creating one table. */
export function cjsTable(table: string): string {
  return `exports.up = function (knex) {
  return knex.schema.createTable('${table}', function (t) {
    t.increments();
    t.string('name');
  });
};
exports.down = function (knex) {
  return knex.schema.dropTable('${table}');
};
`;
}

export function knexfileJs(migrations: string, extra = ''): string {
  return `module.exports = {
  development: { client: 'pg', connection: 'URL', migrations: ${migrations} },${extra}
};
`;
}
