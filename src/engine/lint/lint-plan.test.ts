// Lint on the real PostgreSQL: the scenario on a 400k-row table (errors with lock, rows
// and rewrite facts; warnings for data loss, renames and backfills; nothing for the safe ones),
// the database untouched afterwards, production profiles, thresholds, suppressions, unparsable
// SQL and a busy database.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, query, type TestDatabase } from '../../../test/database';
import { BIG_ROWS, LINT_MIGRATIONS, createOrdersTable, lintMigrationsFolder } from '../../../test/lint-fixture';
import { migrationsFolder, targetFor } from '../../../test/targets';
import type { LintFinding } from '../../shared/lint';
import type { Profile } from '../../shared/profile';
import { openDatabase } from '../database/open-database';
import { isStepstoneError } from '../errors';
import { makePlan } from '../plan/make-plan';
import { lintPlan, type LintResult } from './lint-plan';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('lint');
  await createOrdersTable(database.url);
}, 120_000);
afterAll(async () => {
  await database?.drop();
});

async function lint(dir: string, overrides: Partial<Profile> = {}): Promise<LintResult> {
  const db = await openDatabase(targetFor(database.url, [dir], overrides));
  try {
    return await lintPlan(db, await makePlan(db, { kind: 'upgrade' }));
  } finally {
    await db.close();
  }
}

/** Schema, rows, ledger and locks: everything a lint must leave as it found it. */
async function stateOf(url: string) {
  return {
    columns: await query(url, `select table_name, column_name, data_type, column_default, is_nullable from information_schema.columns where table_schema = 'public' order by 1, 2`),
    indexes: await query(url, `select indexname, indexdef from pg_indexes where schemaname = 'public' order by 1`),
    constraints: await query(url, `select conname, pg_get_constraintdef(oid) as def from pg_constraint where connamespace = 'public'::regnamespace order by 1`),
    tables: await query(url, `select tablename from pg_tables where schemaname = 'public' order by 1`),
    orders: await query(url, `select count(*)::int as n, count(*) filter (where status = 'new')::int as fresh, sum(amount)::text as total from orders`),
    locks: await query(url, `select l.mode, c.relname from pg_locks l join pg_class c on c.oid = l.relation where c.relname in ('orders', 'users') and l.pid <> pg_backend_pid()`),
  };
}

function only(findings: LintFinding[], migration: string, rule: string): LintFinding {
  const found = findings.filter((f) => f.migration === migration && f.rule === rule);
  expect(found, `${rule} on ${migration}: ${JSON.stringify(findings.filter((f) => f.migration === migration).map((f) => f.rule))}`).toHaveLength(1);
  return found[0];
}

const name = (key: string) => Object.keys(LINT_MIGRATIONS).find((n) => n.includes(key))!;

describe('the issue scenario on a 400k-row table', () => {
  let result: LintResult;
  let before: unknown;
  beforeAll(async () => {
    before = await stateOf(database.url);
    result = await lint(lintMigrationsFolder());
  }, 180_000);

  it('flags the plain CREATE INDEX, the FK without NOT VALID, integer → bigint and the gen_random_uuid() default as errors with lock, rows and rewrite facts', () => {
    const index = only(result.findings, name('index_orders'), 'index-not-concurrent');
    expect(index).toMatchObject({ severity: 'error', table: 'orders', lock: 'ShareLock', rewrite: false, suppressed: false, reason: null });
    const fk = only(result.findings, name('fk_orders'), 'constraint-not-valid');
    expect(fk).toMatchObject({ severity: 'error', table: 'orders', lock: 'ShareRowExclusiveLock', rewrite: false });
    const bigint = only(result.findings, name('amount_bigint'), 'alter-column-type');
    expect(bigint).toMatchObject({ severity: 'error', table: 'orders', lock: 'AccessExclusiveLock', rewrite: true });
    const uuid = only(result.findings, name('orders_token'), 'add-column-rewrite');
    expect(uuid).toMatchObject({ severity: 'error', table: 'orders', lock: 'AccessExclusiveLock', rewrite: true });
    for (const f of [index, fk, bigint, uuid]) {
      expect(f.rows).toBeGreaterThanOrEqual(BIG_ROWS * 0.5);
      expect(f.bytes).toBeGreaterThan(10 * 1024 * 1024);
      expect(f.message).toContain('orders');
      expect(f.message).toContain(f.lock!);
      expect(f.message).toMatch(/\d{3},\d{3} rows/);
      expect(f.fix.length).toBeGreaterThan(20);
      expect(f.statement).toEqual({ index: 1, text: expect.stringMatching(/orders/) });
    }
    expect(uuid.message).toMatch(/volatile default/);
    expect(bigint.statement!.text).toMatch(/type bigint/);
  });

  it('gives one rewrite fact per statement and table: the lock_timeout finding of a rewriting ALTER says rewrite too', () => {
    for (const migration of [name('amount_bigint'), name('orders_token')]) {
      const onOrders = result.findings.filter((f) => f.migration === migration && f.statement?.index === 1 && f.table === 'orders');
      expect(onOrders.map((f) => f.rule)).toContain('missing-lock-timeout');
      expect(onOrders.map((f) => [f.rule, f.rewrite])).toEqual(onOrders.map((f) => [f.rule, true]));
    }
  });

  it('flags the dropped column, the rename and the whole-table backfill as at least warnings', () => {
    expect(only(result.findings, name('drop_note'), 'drop-column')).toMatchObject({ severity: 'warning', table: 'orders' });
    expect(only(result.findings, name('rename_customer'), 'rename-column')).toMatchObject({ severity: 'warning', table: 'orders', lock: 'AccessExclusiveLock' });
    const backfill = only(result.findings, name('backfill_status'), 'whole-table-write');
    expect(['warning', 'error']).toContain(backfill.severity);
    expect(backfill).toMatchObject({ table: 'orders', lock: 'RowExclusiveLock' });
  });

  it('raises no error for CREATE INDEX CONCURRENTLY outside a transaction, a nullable column or a new table', () => {
    for (const safe of ['index_concurrently', 'nullable_column', 'new_table']) {
      expect(result.findings.filter((f) => f.migration === name(safe) && f.severity === 'error'), safe).toEqual([]);
    }
    expect(result.findings.filter((f) => f.migration === name('new_table'))).toEqual([]);
    // The ACCESS EXCLUSIVE of the nullable column is brief: only the lock_timeout advice, as a warning.
    expect(result.findings.filter((f) => f.migration === name('nullable_column')).map((f) => f.rule)).toEqual(['missing-lock-timeout']);
  });

  it('counts errors, says where it ran, and leaves schema, rows, ledger and locks as they were', async () => {
    expect(result.errors).toBe(result.findings.filter((f) => f.severity === 'error').length);
    expect(result.errors).toBeGreaterThanOrEqual(5);
    expect(result.migrations).toHaveLength(Object.keys(LINT_MIGRATIONS).length);
    expect(result.whereDetail).toMatch(/rolled back.*scratch.*live database/s);
    expect(result.tables.find((t) => t.name === 'orders')).toMatchObject({ schema: 'public' });
    expect(await stateOf(database.url)).toEqual(before);
    expect(await query(database.url, `select to_regclass('knex_migrations') as t`)).toEqual([{ t: null }]);
  });

  it('traces the locks each statement took in the dry run', () => {
    const index = result.dryRun.migrations.find((m) => m.name === name('index_orders'))!;
    expect(index.statements[0].trace).toMatchObject({ locks: 'traced', where: 'live', acquired: [{ schema: 'public', name: 'orders', mode: 'ShareLock' }], rewritten: [] });
    const bigint = result.dryRun.migrations.find((m) => m.name === name('amount_bigint'))!;
    expect(bigint.statements[0].trace?.rewritten).toEqual([{ schema: 'public', name: 'orders' }]);
    const concurrent = result.dryRun.migrations.find((m) => m.name === name('index_concurrently'))!;
    expect(concurrent.statements[0].trace).toMatchObject({ locks: 'untraced', where: 'scratch' });
  });
});

describe('profiles and thresholds', () => {
  const folder = migrationsFolder({ [name('index_orders')]: LINT_MIGRATIONS[name('index_orders')], [name('amount_bigint')]: LINT_MIGRATIONS[name('amount_bigint')] });

  it('on a production profile runs on the scratch copy, with sizes still from the live database', async () => {
    const before = await stateOf(database.url);
    const result = await lint(folder, { environment: 'production' });
    expect(result.where).toBe('scratch');
    expect(only(result.findings, name('index_orders'), 'index-not-concurrent')).toMatchObject({ severity: 'error', lock: 'ShareLock' });
    const bigint = only(result.findings, name('amount_bigint'), 'alter-column-type');
    expect(bigint).toMatchObject({ severity: 'error', rewrite: true });
    expect(bigint.rows).toBeGreaterThanOrEqual(BIG_ROWS * 0.5);
    expect(result.dryRun.migrations[0].statements[0].trace?.where).toBe('scratch');
    expect(await stateOf(database.url)).toEqual(before);
  });

  it("the profile's thresholds decide error or warning", async () => {
    const result = await lint(folder, { lintThresholds: { rows: 10_000_000, bytes: 10 * 1024 ** 3 } });
    expect(only(result.findings, name('index_orders'), 'index-not-concurrent').severity).toBe('warning');
    expect(result.thresholds).toEqual({ rows: 10_000_000, bytes: 10 * 1024 ** 3 });
    expect(result.errors).toBe(0);
  });
});

describe('suppressions, unreadable SQL and a busy database', () => {
  it('a suppression with a reason silences its rule for that migration; one without a reason or naming an unknown rule is itself a finding', async () => {
    const folder = migrationsFolder({
      '20260201000001_index_quiet.js': `// stepstone-lint-ignore index-not-concurrent -- orders is only written by the nightly job\n${LINT_MIGRATIONS[name('index_orders')]}`,
      '20260201000002_fk_noreason.js': `// stepstone-lint-ignore constraint-not-valid\n${LINT_MIGRATIONS[name('fk_orders')]}`,
      '20260201000003_unknown_rule.js': `// stepstone-lint-ignore no-such-rule -- because\nexports.up = (knex) => knex.schema.createTable('notes', (t) => { t.increments(); });\nexports.down = (knex) => knex.schema.dropTable('notes');\n`,
    });
    const result = await lint(folder);
    const quiet = only(result.findings, '20260201000001_index_quiet.js', 'index-not-concurrent');
    expect(quiet).toMatchObject({ severity: 'error', suppressed: true, reason: 'orders is only written by the nightly job' });
    expect(only(result.findings, '20260201000002_fk_noreason.js', 'constraint-not-valid')).toMatchObject({ severity: 'error', suppressed: false });
    expect(only(result.findings, '20260201000002_fk_noreason.js', 'suppression-without-reason').message).toMatch(/Line 1.*no reason/);
    expect(only(result.findings, '20260201000003_unknown_rule.js', 'suppression-unknown-rule').message).toContain('no-such-rule');
    expect(result.suppressed).toBe(1);
    expect(result.errors).toBe(1);
  });

  it('reports SQL the parser cannot read (and the dry run failure it causes) without crashing', async () => {
    const folder = migrationsFolder({
      '20260301000001_broken.js': `exports.up = (knex) => knex.raw('alter table orders add colum oops text');\nexports.down = () => {};\n`,
    });
    const result = await lint(folder);
    const broken = only(result.findings, '20260301000001_broken.js', 'unparsable-statement');
    expect(broken).toMatchObject({ severity: 'warning', statement: { index: 1, text: 'alter table orders add colum oops text' } });
    expect(broken.message).toMatch(/syntax error/);
    expect(only(result.findings, '20260301000001_broken.js', 'dry-run-failed')).toMatchObject({ severity: 'error' });
  });

  it('on a database another session holds locks on, says "busy, try later" and changes nothing', async () => {
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query('lock table orders in access exclusive mode');
      const failure = await lint(migrationsFolder({ [name('index_orders')]: LINT_MIGRATIONS[name('index_orders')] })).then(
        () => null,
        (error: unknown) => error,
      );
      expect(isStepstoneError(failure)).toBe(true);
      expect(failure).toMatchObject({ code: 'DRY_RUN_BUSY', message: expect.stringMatching(/busy, try later/) });
      expect((failure as Error).message.match(/busy, try later/g)).toHaveLength(1); // said once
    } finally {
      await holder.query('rollback').catch(() => undefined);
      await holder.end();
    }
    expect(await query(database.url, `select count(*)::int as n from pg_indexes where tablename = 'orders'`)).toEqual([{ n: 1 }]);
  });
});
