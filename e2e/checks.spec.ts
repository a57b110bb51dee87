// Lint in the app: pending rows get badges (lint errors, destructive), the Checks tab shows each
// finding with its lock, rows and fix (and a suppression with its reason), and the plan dialog
// lists the findings: on development one tick covers them, on production each lint error needs its
// own acknowledgement. Nothing is changed in the database.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, openApp, ledger } from './fixtures';
import { AppPage } from './pages/app-page';
import { makeProject, type MigrationFile } from './temp-project';
import { query } from '../test/database';

const INDEX = '20260101000001_index_orders.js';
const DROP = '20260101000002_drop_note.js';
const BACKFILL = '20260101000003_backfill_status.js';
const BIGINT = '20260101000004_amount_bigint.js';

const FILES: MigrationFile[] = [
  { name: INDEX, up: "await knex.schema.alterTable('orders', (t) => { t.index(['customer']); });", down: "await knex.schema.alterTable('orders', (t) => { t.dropIndex(['customer']); });" },
  { name: DROP, up: "await knex.schema.alterTable('orders', (t) => { t.dropColumn('note'); });", down: "await knex.schema.alterTable('orders', (t) => { t.text('note'); });" },
  {
    name: BACKFILL,
    up: "\n  // stepstone-lint-ignore whole-table-write -- orders is frozen during the release window\n  await knex('orders').update({ status: 'open' });\n",
    down: '',
  },
  { name: BIGINT, up: "await knex.raw('alter table orders alter column amount type bigint');", down: "await knex.raw('alter table orders alter column amount type integer');" },
];

async function createOrders(url: string): Promise<void> {
  await query(url, 'create table orders (id serial primary key, amount integer not null, status text, note text, customer text)');
  await query(url, `insert into orders (amount, status, note, customer) select g, 'new', 'n', 'c' || g from generate_series(1, 150000) g`);
}

async function ordersState(url: string) {
  return {
    columns: await query(url, `select column_name, data_type from information_schema.columns where table_name = 'orders' order by 1`),
    indexes: await query(url, `select indexname from pg_indexes where tablename = 'orders' order by 1`),
    fresh: await query(url, `select count(*)::int as n from orders where status = 'new'`),
  };
}

test('Checks tab and badges: lint findings with lock, rows and fix; a suppression with its reason; the plan dialog lists them', async ({ page, database, webMode, saveScreen }) => {
  await createOrders(database.url);
  const before = await ordersState(database.url);
  const project = makeProject('checks', FILES);
  try {
    const server = await webMode(['--db', database.url, '--migrations', project.migrations]);
    await openApp(page, server);
    const app = new AppPage(page);
    await app.timeline.expectStates(FILES.map((f) => ({ name: f.name, state: 'pending' })));

    await app.timeline.select(INDEX);
    await app.checks.open();
    const index = app.checks.finding('error', 'index-not-concurrent');
    await expect(index).toBeVisible({ timeout: 60_000 });
    await expect(index).toContainText('ShareLock');
    await expect(index).toContainText('table orders');
    await expect(index).toContainText(/~1\d\d,\d{3} rows/);
    await expect(index).toContainText('Fix: Create it with CREATE INDEX CONCURRENTLY');
    await expect(index.locator('.check-statement')).toContainText('create index "orders_customer_index" on "orders" ("customer")');
    await saveScreen('checks-index');

    // Badges on the pending rows, from the same lint.
    await expect(app.timeline.row(INDEX)).toContainText('1 lint error');
    await expect(app.timeline.row(DROP)).toContainText('destructive');
    await expect(app.timeline.row(BIGINT)).toContainText('1 lint error');
    await expect(app.timeline.row(INDEX)).toHaveAttribute('aria-label', /1 lint error/);

    await app.timeline.select(BACKFILL);
    const suppressed = app.checks.finding('suppressed error', 'whole-table-write');
    await expect(suppressed).toBeVisible();
    await expect(suppressed).toContainText('Suppressed: orders is frozen during the release window');
    await expect(app.timeline.row(BACKFILL)).not.toContainText('lint error');
    await saveScreen('checks-suppressed');

    await app.timeline.select(DROP);
    await expect(app.checks.finding('warning', 'drop-column')).toContainText('drops orders.note');

    // The plan dialog: on development the lint errors are warnings under the one tick.
    await app.button('Upgrade').click();
    await app.plan.waitForDryRun();
    await expect(app.plan.warnings).toContainText('index-not-concurrent on orders');
    await expect(app.plan.warnings).toContainText('alter-column-type on orders');
    const action = app.plan.action('Upgrade 4 migrations');
    await expect(action).toBeDisabled();
    await app.plan.tickWarnings();
    await expect(action).toBeEnabled();
    await saveScreen('plan-with-lint-findings');
    await app.plan.dialog.getByRole('button', { name: 'Cancel' }).click();

    expect(await ordersState(database.url)).toEqual(before);
    expect(await ledger(database.url)).toEqual([]);
  } finally {
    project.cleanup();
  }
});

test('production: each lint error in the plan must be acknowledged on its own before Upgrade is enabled', async ({ page, database, webMode, saveScreen }) => {
  await createOrders(database.url);
  const project = makeProject('checks-prod', FILES);
  try {
    const knexfile = join(project.dir, 'knexfile.js');
    writeFileSync(knexfile, `module.exports = { production: { client: 'pg', connection: ${JSON.stringify(database.url)}, migrations: { directory: ${JSON.stringify(project.migrations)} } } };\n`);
    const server = await webMode(['--knexfile', knexfile, '--env', 'production']);
    await openApp(page, server);
    const app = new AppPage(page);
    await app.button('Upgrade').click();
    await app.plan.waitForDryRun();
    await expect(app.plan.blocking).toContainText('index-not-concurrent on orders', { timeout: 60_000 });
    await expect(app.plan.blocking).toContainText('alter-column-type on orders');
    const action = app.plan.action('Upgrade 4 migrations');
    await app.plan.confirmation(database.name).fill(database.name);
    await app.plan.tickWarnings();
    await expect(action).toBeDisabled();
    await app.plan.acknowledge(/I accept this risk: index-not-concurrent on orders/);
    await expect(action).toBeDisabled();
    await saveScreen('plan-production-one-acknowledged');
    await app.plan.acknowledge(/I accept this risk: alter-column-type on orders/);
    await expect(action).toBeEnabled();
    await saveScreen('plan-production-all-acknowledged');
    await app.plan.dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await ledger(database.url)).toEqual([]);
  } finally {
    project.cleanup();
  }
});
