// `stepstone lint` as pipelines run it: the "done when" on a 400k-row table (JSON field
// names, errors and warnings, exit 1), a clean folder (exit 0), --rules, and bad usage.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, query, type TestDatabase } from './database';
import { LINT_MIGRATIONS, createOrdersTable, lintMigrationsFolder } from './lint-fixture';
import { runStepstone } from './run-cli';
import { migrationsFolder } from './targets';

const home = mkdtempSync(join(tmpdir(), 'stepstone-lint-cli-home-'));
const stepstone = (args: string[], cwd?: string) => runStepstone(args, { env: { STEPSTONE_HOME: home, NODE_ENV: undefined }, cwd });

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('lint_cli');
  await createOrdersTable(db.url);
}, 120_000);
afterAll(async () => {
  await db?.drop();
});

const FIELDS = ['bytes', 'fix', 'lock', 'message', 'migration', 'reason', 'rewrite', 'rows', 'rule', 'severity', 'statement', 'suppressed', 'table'];

describe('stepstone lint', () => {
  it('flags the dangerous migrations of a knexfile project as errors and warnings with the fixed JSON fields, and exits 1', () => {
    const project = mkdtempSync(join(tmpdir(), 'stepstone-lint-project-'));
    const folder = lintMigrationsFolder();
    writeFileSync(join(project, 'knexfile.js'), `module.exports = { development: { client: 'pg', connection: ${JSON.stringify(db.url)}, migrations: { directory: ${JSON.stringify(folder)} } } };\n`);
    const run = stepstone(['lint', '--json'], project);
    expect(run.code, run.stderr + run.stdout.slice(0, 2000)).toBe(1);
    expect(run.json.ok, run.stdout.slice(0, 1500)).not.toBe(false);
    const { findings, errors, migrations } = run.json;
    expect(migrations).toHaveLength(Object.keys(LINT_MIGRATIONS).length);
    for (const f of findings) {
      expect(Object.keys(f).sort()).toEqual(FIELDS);
      expect(['error', 'warning', 'info']).toContain(f.severity);
    }
    const of = (key: string) => findings.filter((f: any) => f.migration.includes(key));
    for (const [key, rule, rewrite] of [['index_orders', 'index-not-concurrent', false], ['fk_orders', 'constraint-not-valid', false], ['amount_bigint', 'alter-column-type', true], ['orders_token', 'add-column-rewrite', true]] as const) {
      const f = of(key).find((x: any) => x.rule === rule);
      expect(f, key).toMatchObject({ severity: 'error', table: 'orders', rewrite, suppressed: false });
      expect(f.lock).toMatch(/^[A-Za-z]+Lock$/);
      expect(f.rows).toBeGreaterThanOrEqual(100_000);
      expect(f.statement.index).toBe(1);
    }
    for (const key of ['drop_note', 'rename_customer', 'backfill_status']) {
      expect(of(key).some((f: any) => f.severity === 'warning' || f.severity === 'error'), key).toBe(true);
    }
    for (const key of ['index_concurrently', 'nullable_column', 'new_table']) expect(of(key).filter((f: any) => f.severity === 'error'), key).toEqual([]);
    expect(errors).toBeGreaterThanOrEqual(4);
  });

  it('exits 0 when nothing is an error, and prints the findings for people without --json', async () => {
    const folder = migrationsFolder({ '20260401000001_nullable.js': LINT_MIGRATIONS['20260101000009_nullable_column.js'] });
    const run = stepstone(['lint', '--db', db.url, '--migrations', folder]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('20260401000001_nullable.js');
    expect(run.stdout).toMatch(/warning\s+missing-lock-timeout/);
    expect(run.stdout).toMatch(/0 errors, 1 warning/);
    expect(await query(db.url, `select column_name from information_schema.columns where table_name = 'orders' and column_name = 'comment'`)).toEqual([]);
  });

  it('--rules lists every rule id; an unexpected argument is bad usage', () => {
    const rules = stepstone(['lint', '--rules', '--json']);
    expect(rules.code).toBe(0);
    expect(rules.json.map((r: any) => r.rule)).toEqual(expect.arrayContaining(['index-not-concurrent', 'constraint-not-valid', 'missing-lock-timeout', 'concurrently-in-transaction']));
    const bad = stepstone(['lint', 'everything', '--db', db.url]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/lint takes no arguments \(got "everything"\)/);
  });
});
