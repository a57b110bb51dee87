// Knex projects of shapes Stepstone has never seen, each in its own temporary folder and fresh
// database: `stepstone status --json` must agree with the knex CLI's `migrate:list`, and upgrade
// then rollback --all must leave the ledger as knex would.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { query } from './database';
import { COMPAT_CASE_TIMEOUT_MS, cjsTable, cleanUp, expectAgreement, knex, knexfileJs, ledgerRows, makeProject, names, stepstone, upgradeAndRollBack, userTables, type Project } from './compat-project';

afterAll(cleanUp);

describe.concurrent('knex projects of varied shapes', { timeout: COMPAT_CASE_TIMEOUT_MS }, () => {
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
});
