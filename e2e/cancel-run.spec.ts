// Cancel while a migration runs: in one-transaction mode the whole plan is rolled back, so nothing
// is applied, and the lock is free again.
import { test, expect, openApp, ledger, userTables } from './fixtures';
import { query } from '../test/database';
import { AppPage } from './pages/app-page';
import { createTableMigration, makeProject } from './temp-project';

const FIRST = '20250101000001_create_alpha.js';
const SLOW = '20250101000002_sleep.js';
const THIRD = '20250101000003_create_gamma.js';

test('Cancel during a run: the run ends cancelled, nothing applied, the lock free', async ({ page, database, webMode, saveScreen }) => {
  // Running without waiting cancels the dry run (dry-run-cancel.spec), so it no longer holds the run's first
  // CREATE TABLE for its 20 s; slow still, for a busy machine (a backup, then the run up to the sleeper).
  test.slow();
  const project = makeProject('cancel', [
    createTableMigration(FIRST, 'alpha'),
    { name: SLOW, up: "await knex.raw('select pg_sleep(20)');", down: '' },
    createTableMigration(THIRD, 'gamma'),
  ]);
  try {
    const server = await webMode(['--db', database.url, '--migrations', project.migrations]);
    await openApp(page, server);
    const app = new AppPage(page);
    await app.timeline.expectStates([FIRST, SLOW, THIRD].map((name) => ({ name, state: 'pending' })));

    await app.button('Upgrade').click();
    await expect(app.plan.dialog).toContainText(/All steps run in one transaction/);
    // The dry run would sleep too: run without waiting for it (which cancels it on the server).
    await app.plan.skipDryRun();
    await app.plan.confirm('Upgrade 3 migrations');

    // The first is done and the slow one is running: cancel now.
    const steps = app.run.dialog.getByRole('list', { name: 'Steps' }).getByRole('listitem');
    await expect(steps.filter({ hasText: SLOW })).toContainText('running', { timeout: 30_000 });
    await expect(steps.filter({ hasText: FIRST })).toContainText('done');
    await expect(app.timeline.row(SLOW)).toHaveAccessibleName(/, running/);
    await saveScreen('run-in-progress');
    const startedCancel = Date.now();
    await app.run.dialog.getByRole('button', { name: 'Cancel', exact: true }).click();

    const cancelled = page.getByRole('dialog', { name: /: cancelled$/ });
    await expect(cancelled).toBeVisible({ timeout: 15_000 });
    // Cancelled, not merely waited out: pg_sleep(20) would take far longer.
    expect(Date.now() - startedCancel).toBeLessThan(15_000);
    const banner = cancelled.getByRole('alert');
    await expect(banner).toContainText(`Cancelled during ${SLOW}.`);
    // The request is in the log before the outcome.
    const log = await app.run.log.allTextContents();
    expect(log.findIndex((l) => l.includes('Cancel requested.'))).toBeLessThan(log.findIndex((l) => l.includes(`Cancelled ${SLOW}`)));
    await expect(banner).toContainText('Nothing applied');
    // Nothing changed, so there is nothing to restore: the backup is not offered.
    await expect(banner.getByRole('button', { name: /^Restore the backup/ })).toHaveCount(0);
    await expect(steps.filter({ hasText: FIRST })).toContainText('rolled back');
    await expect(steps.filter({ hasText: SLOW })).toContainText('cancelled');
    await expect(steps.filter({ hasText: THIRD })).toContainText('not run');
    await saveScreen('run-cancelled');
    await app.run.close();
    await app.waitIdle();

    // One transaction: the first migration was rolled back with the rest.
    await app.timeline.expectStates([FIRST, SLOW, THIRD].map((name) => ({ name, state: 'pending' })));
    // The user stopped it; the migration itself did not fail.
    await expect(app.timeline.row(SLOW)).not.toHaveAccessibleName(/failed/);
    await expect(app.timeline.list.getByText('Upgrade cancelled')).toBeVisible();
    expect(await ledger(database.url)).toEqual([]);
    expect(await userTables(database.url)).toEqual([]);
    const [lock] = await query<{ is_locked: number }>(database.url, 'select is_locked from knex_migrations_lock');
    expect(lock.is_locked).toBe(0);
    await expect(app.statusBar.getByText('Unlocked', { exact: true })).toBeVisible();
    // No query of the cancelled run is left on the server. Only this test's database: another worker's
    // spec (cancel-semantics) sleeps with the same pg_sleep(20) on its own database meanwhile.
    expect(
      await query(database.url, "select pid from pg_stat_activity where datname = current_database() and query like '%pg_sleep(20)%' and pid <> pg_backend_pid()"),
    ).toEqual([]);
    await saveScreen('timeline-after-cancel');

    await app.showView('History');
    await expect(app.history.entry('upgrade', 'cancelled')).toHaveCount(1);
    await saveScreen('history-cancelled');
  } finally {
    project.cleanup();
  }
});
