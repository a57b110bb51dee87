// The plan dialog is built on the dry run: a migration that fails there blocks the plan (statement and
// message shown, "Continue anyway" only by explicit choice and never on production), drift since the
// last operation is a warning that needs a tick, and the failing statement is highlighted in the SQL.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, openApp, ledger } from './fixtures';
import { query } from '../test/database';
import { AppPage } from './pages/app-page';
import { createTableMigration, makeProject } from './temp-project';

const FIRST = '20250101000001_create_alpha.js';
const BROKEN = '20250101000002_insert_into_missing_table.js';
const THIRD = '20250101000003_create_gamma.js';
const DB_MESSAGE = 'relation "no_such_table" does not exist';

const files = [
  createTableMigration(FIRST, 'alpha'),
  { name: BROKEN, up: "await knex.schema.createTable('beta', (t) => { t.increments('id'); }); await knex.raw('insert into no_such_table (id) values (1)');", down: '' },
  createTableMigration(THIRD, 'gamma'),
];

test('a migration failing in the dry run blocks the plan until "Continue anyway" is ticked; its statement is highlighted', async ({ page, database, webMode, saveScreen }) => {
  const project = makeProject('dry-run-fail', files);
  try {
    const server = await webMode(['--db', database.url, '--migrations', project.migrations]);
    await openApp(page, server);
    const app = new AppPage(page);
    await app.button('Upgrade').click();
    await app.plan.waitForDryRun();
    const finding = app.plan.blocking.getByRole('listitem').filter({ hasText: `${BROKEN} fails in the dry run` });
    await expect(finding).toContainText(DB_MESSAGE);
    await expect(finding).toContainText('insert into no_such_table (id) values (1)');
    await expect(finding).toContainText('Statement 2');
    const action = app.plan.action('Upgrade 3 migrations');
    await expect(action).toBeDisabled();
    await expect(app.plan.migrationSteps().filter({ hasText: BROKEN })).toContainText('fails in dry run');
    await saveScreen('plan-blocked-by-dry-run');

    // The SQL tab marks the failing statement.
    await finding.getByRole('button', { name: 'Show in the SQL' }).click();
    const sql = app.plan.dialog.getByRole('region', { name: 'SQL of the plan' });
    await expect(sql).toBeVisible();
    await expect(app.plan.dialog.getByText('the failing statement', { exact: false }).first()).toBeVisible();
    await expect(sql.locator('.code-band').first()).toBeInViewport();
    await saveScreen('plan-sql-failing-statement');

    // Only an explicit choice lets it through.
    await app.plan.acknowledge(/Continue anyway/);
    await expect(action).toBeEnabled();
    await app.plan.dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
    await expect(app.plan.dialog).toBeHidden();
    expect(await ledger(database.url)).toEqual([]);

    // The detail pane's SQL tab of the pending migration highlights the same statement.
    await app.timeline.select(BROKEN);
    await page.getByRole('tab', { name: 'SQL', exact: true }).click();
    const detailSql = page.getByRole('region', { name: `SQL of ${BROKEN}` });
    await expect(detailSql).toBeVisible();
    await expect(detailSql.locator('.code-band')).toHaveCount(1);
  } finally {
    project.cleanup();
  }
});

test('drift since the last operation is a warning the plan needs ticked', async ({ page, database, webMode }) => {
  const project = makeProject('dry-run-drift', [files[0], files[2]]);
  try {
    const server = await webMode(['--db', database.url, '--migrations', project.migrations]);
    await openApp(page, server);
    const app = new AppPage(page);
    await app.timeline.select(FIRST);
    await page.getByRole('button', { name: 'Upgrade to here' }).click();
    await app.plan.confirm('Upgrade 1 migration');
    await app.run.expectDone();
    await app.run.close();
    await app.waitIdle();

    await query(database.url, 'create table made_by_hand (id int)');
    await app.button('Upgrade').click();
    await app.plan.waitForDryRun();
    await expect(app.plan.warnings).toContainText(/Schema drift: 1 change outside migrations since the last operation/);
    const action = app.plan.action('Upgrade 1 migration');
    await expect(action).toBeDisabled();
    await app.plan.tickWarnings();
    await expect(action).toBeEnabled();
  } finally {
    project.cleanup();
  }
});

test('production: a failing dry run cannot be overridden', async ({ page, database, webMode, saveScreen }) => {
  const project = makeProject('dry-run-prod', files);
  try {
    const knexfile = join(project.dir, 'knexfile.js');
    writeFileSync(knexfile, `module.exports = { production: { client: 'pg', connection: ${JSON.stringify(database.url)}, migrations: { directory: ${JSON.stringify(project.migrations)} } } };\n`);
    const server = await webMode(['--knexfile', knexfile, '--env', 'production']);
    await openApp(page, server);
    const app = new AppPage(page);
    await app.button('Upgrade').click();
    await app.plan.waitForDryRun();
    const finding = app.plan.blocking.getByRole('listitem').filter({ hasText: `${BROKEN} fails in the dry run` });
    await expect(finding).toContainText(DB_MESSAGE);
    await expect(finding).toContainText('This blocks the plan here.');
    await expect(app.plan.dialog.getByRole('checkbox', { name: /Continue anyway/ })).toHaveCount(0);
    await app.plan.confirmation(database.name).fill(database.name);
    await expect(app.plan.action('Upgrade 3 migrations')).toBeDisabled();
    await saveScreen('plan-production-blocked');
  } finally {
    project.cleanup();
  }
});
