// Cancel says only what it does. One transaction per migration: a transactional migration is
// interrupted now (its transaction rolls back, the ones before stay); a non-transactional one is said,
// before pressing, to finish first; a cancel that comes too late gets an amber banner saying so.
// History records the stopped step as cancelled, not failed.
import { join } from 'node:path';
import { test, expect, openApp, ledger, userTables } from './fixtures';
import { AppPage } from './pages/app-page';
import { createTableMigration, makeProject, type MigrationFile } from './temp-project';
import { closeGate } from './run-gate';

const FIRST = '20250101000001_create_alpha.js';
const SLOW = '20250101000002_slow.js';
const THIRD = '20250101000003_create_gamma.js';

/** A per-migration project (knexfile `disableTransactions: true`) with these files. */
function perMigrationProject(label: string, files: MigrationFile[], url: string) {
  const project = makeProject(label, files, `module.exports = { client: 'pg', connection: ${JSON.stringify(url)}, migrations: { directory: './migrations', disableTransactions: true } };\n`);
  return { ...project, knexfile: join(project.dir, 'knexfile.js') };
}

/** A migration that creates a table, then sleeps; optionally outside a transaction. */
function sleeper(seconds: number, nonTransactional = false): MigrationFile {
  return {
    name: SLOW,
    up: `await knex.schema.createTable('slow', (t) => { t.increments('id'); }); await knex.raw('select pg_sleep(${seconds})');`,
    down: "await knex.schema.dropTableIfExists('slow');",
    ...(nonTransactional ? { config: '{ transaction: false }' } : {}),
  };
}

test('per migration: Cancel interrupts the running transactional migration; the one before stays; History says cancelled', async ({ page, database, webMode, saveScreen }) => {
  // Running without waiting cancels the dry run (dry-run-cancel.spec), so it no longer holds the run's first
  // CREATE TABLE for its 20 s; slow still, for a busy machine (a backup, then the run up to the sleeper).
  test.slow();
  const project = perMigrationProject('cancel-tx', [createTableMigration(FIRST, 'alpha'), sleeper(20), createTableMigration(THIRD, 'gamma')], database.url);
  try {
    const server = await webMode(['--knexfile', project.knexfile]);
    await openApp(page, server);
    const app = new AppPage(page);
    await app.button('Upgrade').click();
    await app.plan.skipDryRun();
    await app.plan.confirm('Upgrade 3 migrations');
    await expect(app.run.steps.filter({ hasText: SLOW })).toContainText('running', { timeout: 20_000 });
    await expect(app.run.cancelEffect).toHaveText(`Cancel stops ${SLOW} now and rolls it back; the migrations before it stay applied.`);
    await expect(app.run.progress).toHaveAttribute('aria-valuenow', '1');
    await saveScreen('cancel-effect-transactional');
    const pressed = Date.now();
    await app.run.cancelButton.click();
    const banner = await app.run.expectCancelled();
    expect(Date.now() - pressed).toBeLessThan(15_000); // interrupted, not waited out
    await expect(banner).toContainText(`Cancelled during ${SLOW}.`);
    await expect(banner).toContainText('1 of 3 applied');
    await expect(app.run.steps.filter({ hasText: SLOW })).toContainText('cancelled');
    await expect(app.run.steps.filter({ hasText: FIRST })).toContainText('done');
    await saveScreen('cancelled-per-migration');
    await app.run.close();
    await app.waitIdle();
    expect(await ledger(database.url)).toEqual([{ name: FIRST, batch: 1 }]);
    expect(await userTables(database.url)).toEqual(['alpha']);

    await app.showView('History');
    const entry = app.history.entry('upgrade', 'cancelled');
    await expect(entry).toHaveCount(1);
    await entry.getByRole('button', { name: /^Details of upgrade/ }).click();
    const details = app.history.region.locator('.history-detail');
    await expect(details.getByText('cancelled', { exact: true })).toBeVisible();
    await expect(details.getByText('failed', { exact: true })).toHaveCount(0);
  } finally {
    project.cleanup();
  }
});

test('per migration: a non-transactional migration is said to finish first; a cancel during the last one is too late (amber)', async ({ page, database, webMode, saveScreen }) => {
  // The last migration waits at a gate until Cancel is pressed (a sleep could end first on a busy machine,
  // and there would be no Cancel left to press).
  const gate = await closeGate(database.url);
  const project = perMigrationProject('cancel-nontx', [createTableMigration(FIRST, 'alpha'), { ...gate.migration(SLOW, 'slow'), config: '{ transaction: false }' }], database.url);
  try {
    const server = await webMode(['--knexfile', project.knexfile]);
    await openApp(page, server);
    const app = new AppPage(page);
    await app.button('Upgrade').click();
    await app.plan.skipDryRun();
    await app.plan.confirm('Upgrade 2 migrations');
    await expect(app.run.steps.filter({ hasText: SLOW })).toContainText('running', { timeout: 20_000 });
    // Said before pressing.
    await expect(app.run.cancelEffect).toHaveText('Will stop after the current migration (cancelling CREATE INDEX CONCURRENTLY leaves an invalid index)');
    await saveScreen('cancel-effect-non-transactional');
    await app.run.cancelButton.click();
    await expect(app.run.log.filter({ hasText: 'Cancel requested.' })).toHaveCount(1);
    await gate.open();
    // It was the last migration: nothing was left to stop.
    await expect(page.getByRole('dialog', { name: /: done$/ })).toBeVisible({ timeout: 30_000 });
    const banner = app.run.dialog.getByRole('alert');
    await expect(banner).toContainText('Too late to cancel: the run had already finished.');
    await expect(banner).toHaveClass(/run-banner-cancelled/);
    const log = await app.run.log.allTextContents();
    expect(log.findIndex((l) => l.includes('Cancel requested.'))).toBeGreaterThanOrEqual(0);
    await saveScreen('cancel-too-late');
    await app.run.close();
    expect(await ledger(database.url)).toEqual([
      { name: FIRST, batch: 1 },
      { name: SLOW, batch: 1 },
    ]);
  } finally {
    await gate.open();
    project.cleanup();
  }
});

test('one transaction: the log shows "Cancel requested" before the outcome', async ({ page, database, webMode }) => {
  // Running without waiting cancels the dry run (dry-run-cancel.spec), so it no longer holds the run's first
  // CREATE TABLE for its 20 s; slow still, for a busy machine (a backup, then the run up to the sleeper).
  test.slow();
  const project = makeProject('cancel-single', [createTableMigration(FIRST, 'alpha'), sleeper(20), createTableMigration(THIRD, 'gamma')]);
  try {
    const server = await webMode(['--db', database.url, '--migrations', project.migrations]);
    await openApp(page, server);
    const app = new AppPage(page);
    await app.button('Upgrade').click();
    await app.plan.skipDryRun();
    await app.plan.confirm('Upgrade 3 migrations');
    await expect(app.run.steps.filter({ hasText: SLOW })).toContainText('running', { timeout: 20_000 });
    await expect(app.run.cancelEffect).toHaveText('Cancel rolls back the whole plan: nothing is kept.');
    await app.run.cancelButton.click();
    await app.run.expectCancelled();
    const log = await app.run.log.allTextContents();
    const requested = log.findIndex((l) => l.includes('Cancel requested.'));
    const outcome = log.findIndex((l) => l.includes(`Cancelled ${SLOW}`));
    expect(requested).toBeGreaterThanOrEqual(0);
    expect(outcome).toBeGreaterThan(requested);
    expect(await ledger(database.url)).toEqual([]);
  } finally {
    project.cleanup();
  }
});
