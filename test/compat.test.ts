// Knex projects of shapes Stepstone has never seen, each in its own temporary folder and fresh
// database: `stepstone status --json` must agree with the knex CLI's `migrate:list`, and upgrade
// then rollback --all must leave the ledger as knex would.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createTestDatabase, dropDatabase, query, type TestDatabase } from './database';
import { runNodeAsync, type CliRun } from './run-cli';

const root = resolve(__dirname, '..');
const bin = join(root, 'bin', 'stepstone.cjs');
const knexCli = join(root, 'node_modules', 'knex', 'bin', 'cli.js');
const home = mkdtempSync(join(tmpdir(), 'stepstone-compat-home-'));
const cleanups: (() => Promise<void> | void)[] = [];

afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

type Run = CliRun;

/** Run a node script; NODE_ENV is removed unless given (vitest sets it to "test"). */
function runNode(script: string, args: string[], cwd: string, env: Record<string, string | undefined> = {}): Promise<Run> {
  return runNodeAsync(script, args, { cwd, env: { STEPSTONE_HOME: home, NODE_ENV: undefined, ...env } });
}

interface Project {
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

async function makeProject(shape: ProjectShape): Promise<Project> {
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

function stepstone(p: Project, args: string[], options: { cwd?: string; env?: Record<string, string | undefined>; flags?: boolean } = {}): Promise<Run> {
  const target = options.flags === false ? [] : ['--knexfile', p.knexfile, '--env', p.env];
  return runNode(bin, [...args, ...target], options.cwd ?? root, options.env);
}

/** The knex CLI's own verdict; `KNEX_PATH` lets it find knex for folders with no node_modules. */
async function knex(p: Project, args: string[], options: { cwd?: string; env?: Record<string, string | undefined>; flags?: boolean } = {}): Promise<Run> {
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

const names = (items: { name: string }[]) => items.map((i) => i.name);

/** Stepstone's status and knex's list agree; returns Stepstone's status. */
async function expectAgreement(p: Project, options: Parameters<typeof knex>[2] = {}): Promise<any> {
  // One after the other: on a fresh database `knex migrate:list` creates its tables, and a status read
  // meanwhile rightly reports that other session as a live holder of the ledger.
  const status = await stepstone(p, ['status', '--json'], options);
  const list = await knexList(p, options);
  expect(status.code, status.stderr).toBe(0);
  expect({ applied: names(status.json.applied), pending: names(status.json.pending) }).toEqual({ applied: list.completed, pending: list.pending });
  expect(status.json).toMatchObject({ missing: [], outOfOrder: [], lock: { locked: false } });
  return status.json;
}

async function ledgerRows(p: Project): Promise<{ name: string; batch: number }[]> {
  const [schema, table] = p.ledger.includes('.') ? p.ledger.split('.') : [null, p.ledger];
  const found = await query<{ t: string | null }>(p.db.url, 'select to_regclass($1)::text as t', [schema ? `"${schema}"."${table}"` : `"${table}"`]);
  if (!found[0].t) return [];
  return query(p.db.url, `select name, batch from ${schema ? `"${schema}".` : ''}"${table}" order by id`);
}

/** Tables that are neither a knex ledger (`*_migrations`, `*_migrations_lock`) nor Stepstone's. */
async function userTables(p: Project): Promise<string[]> {
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
async function upgradeAndRollBack(p: Project, options: { knexRuns?: boolean; tables?: string[] } = {}): Promise<string[]> {
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
function cjsTable(table: string): string {
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

function knexfileJs(migrations: string, extra = ''): string {
  return `module.exports = {
  development: { client: 'pg', connection: 'URL', migrations: ${migrations} },${extra}
};
`;
}

// Each case runs a dozen CLI processes (ours and the knex CLI), several cases at once: on a loaded
// 2-core machine one took over a minute, so the safety net is wider than the suite's default.
describe.concurrent('knex projects of varied shapes', { timeout: 180_000 }, () => {
  it('CommonJS knexfile and promise-returning .js migrations; upgrade --to, rollback --step and --to', async () => {
    const p = await makeProject({
      label: 'cjs',
      files: {
        'knexfile.js': knexfileJs("{ directory: './migrations' }"),
        'migrations/20240101000000_users.js': cjsTable('users'),
        'migrations/20240102000000_teams.js': cjsTable('teams'),
        'migrations/20240103000000_roles.js': cjsTable('roles'),
        'migrations/20240104000000_audit.js': cjsTable('audit'),
      },
    });
    const order = await upgradeAndRollBack(p, { tables: ['public.audit', 'public.roles', 'public.teams', 'public.users'] });
    expect(order).toHaveLength(4);

    const to = await stepstone(p, ['upgrade', '--yes', '--no-backup', '--json', '--to', '20240102000000_teams']);
    expect(to.code, to.stderr).toBe(0);
    expect(names((await expectAgreement(p)).applied)).toEqual(order.slice(0, 2));
    expect((await stepstone(p, ['upgrade', '--yes', '--no-backup'])).code).toBe(0);
    expect(await ledgerRows(p)).toEqual(order.map((name, i) => ({ name, batch: i < 2 ? 1 : 2 })));
    const step = await stepstone(p, ['rollback', '--step', '1', '--yes', '--no-backup']);
    expect(step.code, step.stderr).toBe(0);
    expect(names((await expectAgreement(p)).applied)).toEqual(order.slice(0, 3));
    const back = await stepstone(p, ['rollback', '--to', order[0], '--yes', '--no-backup']);
    expect(back.code, back.stderr).toBe(0);
    expect(names((await expectAgreement(p)).applied)).toEqual(order.slice(0, 1));
    expect(await userTables(p)).toEqual(['public.users']);
  });

  it('migrations with config = { transaction: false } (CREATE INDEX CONCURRENTLY)', async () => {
    const p = await makeProject({
      label: 'notx',
      files: {
        'knexfile.js': knexfileJs("{ directory: './migrations' }"),
        'migrations/20240101000000_users.js': cjsTable('users'),
        'migrations/20240102000000_users_name_index.js': `exports.config = { transaction: false };
exports.up = function (knex) {
  return knex.raw('create index concurrently users_name_idx on users (name)');
};
exports.down = function (knex) {
  return knex.raw('drop index concurrently users_name_idx');
};
`,
      },
    });
    await upgradeAndRollBack(p);
  });

  it('custom tableName and schemaName: the ledger lives there and both tools read it there', async () => {
    const p = await makeProject({
      label: 'schema',
      files: {
        'knexfile.js': knexfileJs("{ directory: './migrations', tableName: 'app_migrations', schemaName: 'ops' }"),
        'migrations/20240101000000_users.js': cjsTable('users'),
        'migrations/20240102000000_teams.js': cjsTable('teams'),
      },
      ledger: 'ops.app_migrations',
      setup: 'create schema ops', // knex's migrator expects the schema to exist
    });
    await upgradeAndRollBack(p);
    const ledgers = await query<{ t: string }>(p.db.url, "select table_schema || '.' || table_name as t from information_schema.tables where table_name like '%migrations%' order by 1");
    expect(ledgers.map((r) => r.t)).toContain('ops.app_migrations');
    expect(ledgers.map((r) => r.t).filter((t) => t.startsWith('public.'))).toEqual([]);
  });

  it('two migration folders with interleaved timestamps, sorted by file name as knex sorts (code units)', async () => {
    const p = await makeProject({
      label: 'twodirs',
      files: {
        'knexfile.js': knexfileJs("{ directory: ['./migrations', './seeds-migrations'] }"),
        'migrations/20240101000000_users.js': cjsTable('users'),
        'seeds-migrations/20240102000000_seed_roles.js': cjsTable('roles'),
        'migrations/20240103000000_teams.js': cjsTable('teams'),
        // Names whose order differs between locale collation and knex's plain comparison.
        'migrations/20240104000000_Zones.js': cjsTable('zones'),
        'seeds-migrations/20240104000000_accounts.js': cjsTable('accounts'),
        'migrations/20240105_hand_named.js': cjsTable('hand_named'),
        'migrations/20240105000000_after.js': cjsTable('after_all'),
      },
    });
    const order = await upgradeAndRollBack(p);
    expect(order).toEqual([
      '20240101000000_users.js',
      '20240102000000_seed_roles.js',
      '20240103000000_teams.js',
      '20240104000000_Zones.js',
      '20240104000000_accounts.js',
      '20240105000000_after.js',
      '20240105_hand_named.js',
    ]);
  });

  it('two migration folders with sortDirsSeparately: true', async () => {
    const p = await makeProject({
      label: 'sortdirs',
      files: {
        'knexfile.js': knexfileJs("{ directory: ['./migrations', './seeds-migrations'], sortDirsSeparately: true }"),
        'migrations/20240101000000_users.js': cjsTable('users'),
        'seeds-migrations/20240102000000_seed_roles.js': cjsTable('roles'),
        'migrations/20240103000000_teams.js': cjsTable('teams'),
      },
    });
    expect(await upgradeAndRollBack(p)).toEqual(['20240101000000_users.js', '20240103000000_teams.js', '20240102000000_seed_roles.js']);
  });

  it("loadExtensions: ['.js'] ignores a .ts file in the folder, as knex does", async () => {
    const p = await makeProject({
      label: 'loadext',
      files: {
        'knexfile.js': knexfileJs("{ directory: './migrations', loadExtensions: ['.js'] }"),
        'migrations/20240101000000_users.js': cjsTable('users'),
        'migrations/20240102000000_draft.ts': "import type { Knex } from 'knex';\nexport async function up(knex: Knex): Promise<void> { throw new Error('must be ignored'); }\n",
      },
    });
    expect(await upgradeAndRollBack(p)).toEqual(['20240101000000_users.js']);
  });

  it('an ESM project: "type": "module", export default knexfile, export async function migrations', async () => {
    const p = await makeProject({
      label: 'esm',
      files: {
        'package.json': JSON.stringify({ name: 'esm-app', type: 'module' }),
        'knexfile.js': "const config = { development: { client: 'pg', connection: 'URL', migrations: { directory: './migrations' } } };\nexport default config;\n",
        'lib/columns.js': 'export function named(t) {\n  t.increments();\n  t.string("name");\n}\n',
        'migrations/20240101000000_users.js':
          "import { named } from '../lib/columns.js';\nexport async function up(knex) {\n  await knex.schema.createTable('users', named);\n}\nexport async function down(knex) {\n  await knex.schema.dropTable('users');\n}\n",
        'migrations/20240102000000_notes.js':
          "export const config = { transaction: true };\nexport async function up(knex) {\n  await knex.schema.createTable('notes', (t) => t.increments());\n}\nexport async function down(knex) {\n  await knex.schema.dropTable('notes');\n}\n",
      },
    });
    await upgradeAndRollBack(p, { tables: ['public.notes', 'public.users'] });
  });

  it('TypeScript migrations importing a helper from ../lib and `import type { Knex }`', async () => {
    const p = await makeProject({
      label: 'ts',
      knexfile: 'knexfile.ts',
      files: {
        'knexfile.ts': "import type { Knex } from 'knex';\nconst config: Record<string, Knex.Config> = { development: { client: 'pg', connection: 'URL', migrations: { directory: './migrations' } } };\nexport default config;\n",
        'lib/helpers.ts': "import type { Knex } from 'knex';\nexport function withTimestamps(t: Knex.CreateTableBuilder): void {\n  t.increments();\n  t.timestamps(true, true);\n}\nexport const TABLE_PREFIX: string = 'app_';\n",
        'migrations/20240101000000_users.ts':
          "import type { Knex } from 'knex';\nimport { TABLE_PREFIX, withTimestamps } from '../lib/helpers';\n\nexport async function up(knex: Knex): Promise<void> {\n  await knex.schema.createTable(`${TABLE_PREFIX}users`, (t) => withTimestamps(t));\n}\n\nexport async function down(knex: Knex): Promise<void> {\n  await knex.schema.dropTable(`${TABLE_PREFIX}users`);\n}\n",
        'migrations/20240102000000_teams.ts':
          "import type { Knex } from 'knex';\nimport { withTimestamps } from '../lib/helpers.ts';\n\nexport async function up(knex: Knex): Promise<void> {\n  await knex.schema.createTable('app_teams', withTimestamps);\n}\n\nexport async function down(knex: Knex): Promise<void> {\n  await knex.schema.dropTable('app_teams');\n}\n",
      },
    });
    await upgradeAndRollBack(p, { tables: ['public.app_teams', 'public.app_users'] });
  });

  it('a file that is not a migration: a clear error naming it, exit 1, nothing changed', async () => {
    const p = await makeProject({
      label: 'notmigration',
      files: {
        'knexfile.js': knexfileJs("{ directory: './migrations' }"),
        'migrations/20240101000000_users.js': cjsTable('users'),
        'migrations/shared.js': 'exports.columns = (t) => t.increments();\n',
      },
    });
    const before = await expectAgreement(p);
    expect(names(before.pending)).toEqual(['20240101000000_users.js', 'shared.js']);
    const up = await stepstone(p, ['upgrade', '--yes', '--no-backup']);
    expect(up.code).toBe(1);
    expect(up.stderr.trim().split('\n')).toHaveLength(1);
    expect(up.stderr).toMatch(/shared\.js is not a migration/);
    expect(await ledgerRows(p)).toEqual([]);
    expect(await userTables(p)).toEqual([]);
    expect(names((await expectAgreement(p)).applied)).toEqual([]);
    const knexUp = await knex(p, ['migrate:latest']);
    expect(knexUp.code).toBe(1); // knex refuses it too
    expect(knexUp.stderr).toMatch(/shared\.js/);
  });

  it('knexfiles exporting a function and an async function', async () => {
    const [sync, async] = await Promise.all([
      makeProject({
        label: 'fnknexfile',
        files: {
          'knexfile.js': "module.exports = function () {\n  return { development: { client: 'pg', connection: 'URL' } };\n};\n",
          'migrations/20240101000000_users.js': cjsTable('users'),
        },
      }),
      makeProject({
        label: 'asyncknexfile',
        files: {
          'knexfile.js': "module.exports = async () => {\n  await new Promise((r) => setImmediate(r));\n  return { client: 'pg', connection: 'URL', migrations: { tableName: 'async_migrations' } };\n};\n",
          'migrations/20240101000000_users.js': cjsTable('users'),
        },
        ledger: 'async_migrations',
      }),
    ]);
    await Promise.all([upgradeAndRollBack(sync), upgradeAndRollBack(async)]);
  });

  it("a folder with no node_modules: require('knex') in a migration resolves to Stepstone's copy", async () => {
    const p = await makeProject({
      label: 'bare',
      nodeModules: false,
      files: {
        'knexfile.js': knexfileJs("{ directory: './migrations' }"),
        'migrations/20240101000000_users.js': `const { knex: makeKnex } = require('knex');
if (typeof makeKnex !== 'function') throw new Error('knex did not resolve');
${cjsTable('users')}`,
      },
    });
    // The knex CLI itself cannot run these migrations without an install; compare the lists only.
    await upgradeAndRollBack(p, { knexRuns: false, tables: ['public.users'] });
  });

  it('finds the knexfile from the working folder (and its parents) with NODE_ENV or development, as the knex CLI does', async () => {
    const p = await makeProject({
      label: 'cwd',
      files: {
        'knexfile.js': knexfileJs("{ directory: './migrations' }", "\n  staging: { client: 'pg', connection: 'URL', migrations: { directory: './migrations', tableName: 'staging_migrations' } },"),
        // knex opens knexfile.js before knexfile.ts; this one would point at another ledger.
        'knexfile.ts': "export default { development: { client: 'pg', connection: 'URL', migrations: { tableName: 'wrong_migrations' } } };\n",
        'migrations/20240101000000_users.js': cjsTable('users'),
        'migrations/20240102000000_teams.js': cjsTable('teams'),
      },
    });
    const here = { cwd: p.dir, flags: false };
    const up = await stepstone(p, ['upgrade', '--yes', '--no-backup', '--to', '20240101000000_users.js'], here);
    expect(up.code, up.stderr).toBe(0);
    expect(names((await expectAgreement(p, here)).applied)).toEqual(['20240101000000_users.js']);
    expect(await ledgerRows(p)).toEqual([{ name: '20240101000000_users.js', batch: 1 }]);
    // From a subfolder Stepstone finds the knexfile in a parent folder, as knex does (knex then
    // resolves the migrations folder from the working folder and fails; Stepstone uses the knexfile's).
    const sub = await stepstone(p, ['status', '--json'], { cwd: join(p.dir, 'migrations'), flags: false });
    expect(sub.code, sub.stderr).toBe(0);
    expect(names(sub.json.applied)).toEqual(['20240101000000_users.js']);
    // NODE_ENV picks the environment (its own ledger table here).
    const staging = { cwd: p.dir, flags: false, env: { NODE_ENV: 'staging' } };
    expect(names((await expectAgreement(p, staging)).pending)).toEqual(['20240101000000_users.js', '20240102000000_teams.js']);
    const down = await stepstone(p, ['rollback', '--all', '--yes', '--no-backup'], here);
    expect(down.code, down.stderr).toBe(0);
    expect(await ledgerRows(p)).toEqual([]);
    expect(await userTables(p)).toEqual([]);
  });

  it("new follows the knexfile's migrations.extension as knex migrate:make does; TypeScript by default, --js and --language win", async () => {
    const [js, ts] = await Promise.all([
      makeProject({ label: 'newjs', files: { 'knexfile.js': knexfileJs("{ directory: './migrations', extension: 'js' }"), 'migrations/.keep': '' } }),
      makeProject({
        label: 'newts',
        knexfile: 'knexfile.ts',
        files: { 'knexfile.ts': "export default { development: { client: 'pg', connection: 'URL', migrations: { directory: './migrations' } } };\n", 'migrations/.keep': '' },
      }),
    ]);
    const here = (p: Project) => ({ cwd: p.dir, flags: false });
    const made = await knex(js, ['migrate:make', 'knex_made']);
    expect(made.code, made.stderr).toBe(0);
    const fromKnexfile = await stepstone(js, ['new', 'Add notes', '--json'], here(js));
    expect(fromKnexfile.code, fromKnexfile.stderr).toBe(0);
    expect(fromKnexfile.json.name).toMatch(/^\d{14}_add_notes\.js$/);
    const asked = await stepstone(js, ['new', 'typed', '--language', 'ts', '--json'], here(js));
    expect(asked.json.name).toMatch(/^\d{14}_typed\.ts$/);
    expect(readdirSync(join(js.dir, 'migrations')).filter((f) => f.endsWith('.js')).map((f) => f.replace(/^\d{14}_/, '')).sort()).toEqual(['add_notes.js', 'knex_made.js']);
    expect(readFileSync(fromKnexfile.json.path, 'utf8')).toMatch(/exports\.up = async function up/);
    // The created files are migrations both tools list alike, and Stepstone applies and reverts them.
    await upgradeAndRollBack(js, { knexRuns: false });

    const byDefault = await stepstone(ts, ['new', 'add users', '--json'], here(ts));
    expect(byDefault.json.name).toMatch(/^\d{14}_add_users\.ts$/);
    const withJs = await stepstone(ts, ['new', 'seed roles', '--js', '--json'], here(ts));
    expect(withJs.json.name).toMatch(/^\d{14}_seed_roles\.js$/);
    const knexTs = await knex(ts, ['migrate:make', 'knex_made']);
    expect(knexTs.code, knexTs.stderr).toBe(0);
    expect(readdirSync(join(ts.dir, 'migrations')).filter((f) => /knex_made/.test(f))).toEqual([expect.stringMatching(/_knex_made\.ts$/)]);
    expect(existsSync(byDefault.json.path) && existsSync(withJs.json.path)).toBe(true);
    await upgradeAndRollBack(ts, { knexRuns: false });
  });

  it('plan, sql, drift, history, unlock, backup, backups, verify and restore on a custom schema and ledger table', async () => {
    const p = await makeProject({
      label: 'allcmds',
      files: {
        'knexfile.js': knexfileJs("{ directory: './migrations', tableName: 'app_migrations', schemaName: 'ops' }"),
        'migrations/20240101000000_users.js': cjsTable('users'),
        'migrations/20240102000000_teams.js': cjsTable('teams'),
      },
      ledger: 'ops.app_migrations',
    });
    const plan = await stepstone(p, ['plan', 'upgrade', '--json']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.json.plan.steps.map((s: { name: string }) => s.name)).toEqual(['20240101000000_users.js', '20240102000000_teams.js']);
    const sql = await stepstone(p, ['sql', 'upgrade']);
    expect(sql.code, sql.stderr).toBe(0);
    expect(sql.stdout).toContain('insert into "ops"."app_migrations"');
    expect(await userTables(p)).toEqual([]); // dry runs leave nothing behind

    const up = await stepstone(p, ['upgrade', '--yes', '--json', '--to', '20240101000000_users.js']); // with its automatic backup
    expect(up.code, up.stderr).toBe(0);
    await expectAgreement(p); // knex reads ops.app_migrations as Stepstone wrote it (the schema is Stepstone's)
    const drift = await stepstone(p, ['drift', '--json']);
    expect(drift.code, drift.stderr).toBe(0);
    expect(drift.json).toMatchObject({ drifted: false, head: '20240101000000_users.js' });
    const history = await stepstone(p, ['history', '--json']);
    expect(history.json.map((h: { operation: string }) => h.operation)).toEqual(['upgrade']);
    const unlock = await stepstone(p, ['unlock', '--json']);
    expect(unlock.json).toMatchObject({ locked: false, state: 'free' });

    const backup = await stepstone(p, ['backup', '--json']);
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.json.head).toBe('20240101000000_users.js'); // read from ops.app_migrations
    const backups = await stepstone(p, ['backups', '--json']);
    expect(backups.json.map((b: { id: string }) => b.id)).toContain(backup.json.id);
    const verify = await stepstone(p, ['verify', backup.json.id, '--json']);
    expect(verify.code, verify.stderr).toBe(0);
    const into = `${p.db.name}_restored`;
    cleanups.push(() => dropDatabase(into));
    const restore = await stepstone(p, ['restore', backup.json.id, '--into', into, '--yes', '--json']);
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.json).toMatchObject({ database: into, head: '20240101000000_users.js' });
  });
});
