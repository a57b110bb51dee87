// The timeline follows the disk and the database: a new, edited or deleted migration file shows
// within a second (watched by the service, pushed as an event); the status is read again when the
// window regains focus; a Refresh control says when it last checked; relative times tick. During a run
// the status bar says the lock is held by this run, a progress bar counts, and the run can be docked
// while the user browses another connection (run actions stay disabled until it ends).
import { unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, openApp } from './fixtures';
import { query } from '../test/database';
import { AppPage } from './pages/app-page';
import { createTableMigration, makeProject } from './temp-project';

const FIRST = '20250101000001_create_alpha.js';
const SECOND = '20250101000002_create_beta.js';
const NEW = '20250101000003_create_gamma.js';
const SLOW = '20250101000004_slow.js';

test('a migration file added, edited or deleted on disk shows on the timeline at once', async ({ page, database, webMode }) => {
  const project = makeProject('live-files', [createTableMigration(FIRST, 'alpha'), createTableMigration(SECOND, 'beta')]);
  try {
    const server = await webMode(['--db', database.url, '--migrations', project.migrations]);
    await openApp(page, server);
    const app = new AppPage(page);
    await expect(app.timeline.options).toHaveCount(2);

    // Added: no reload, no click.
    writeFileSync(join(project.migrations, NEW), "exports.up = (knex) => knex.schema.createTable('gamma', (t) => t.increments());\nexports.down = (knex) => knex.schema.dropTable('gamma');\n");
    await expect(app.timeline.row(NEW)).toBeVisible({ timeout: 3_000 });

    // Edited: the open Source tab shows the new text.
    await app.timeline.select(NEW);
    const source = page.getByRole('region', { name: `Source of ${NEW}` });
    await expect(source).toContainText("createTable('gamma'");
    writeFileSync(join(project.migrations, NEW), "exports.up = (knex) => knex.schema.createTable('gamma_v2', (t) => t.increments());\nexports.down = (knex) => knex.schema.dropTable('gamma_v2');\n");
    await expect(source).toContainText("createTable('gamma_v2'", { timeout: 3_000 });

    // Deleted.
    unlinkSync(join(project.migrations, SECOND));
    await expect(app.timeline.row(SECOND)).toHaveCount(0, { timeout: 3_000 });
    await expect(app.timeline.options).toHaveCount(2);
  } finally {
    project.cleanup();
  }
});

test('focus re-reads the status; Refresh says when it checked; relative times tick', async ({ page, database, webMode }) => {
  const project = makeProject('live-focus', [createTableMigration(FIRST, 'alpha'), createTableMigration(SECOND, 'beta')]);
  try {
    await page.clock.install();
    const server = await webMode(['--db', database.url, '--migrations', project.migrations]);
    await openApp(page, server);
    const app = new AppPage(page);
    await app.timeline.select(FIRST);
    await page.getByRole('button', { name: 'Upgrade to here' }).click();
    await app.plan.confirm('Upgrade 1 migration');
    await app.run.expectDone();
    await app.run.close();
    await app.waitIdle();

    // Another tool (the knex CLI, say) records the second one meanwhile; coming back to the window shows it.
    await query(database.url, `insert into knex_migrations (name, batch, migration_time) values ('${SECOND}', 2, now())`);
    await page.evaluate(() => window.dispatchEvent(new Event('focus')));
    await expect.poll(async () => (await app.timeline.rows()).map((r) => r.state)).toEqual(['applied', 'applied']);

    await expect(app.refreshedWhen).toHaveText('checked just now');
    const appliedTime = app.timeline.row(FIRST).locator('time');
    const before = await appliedTime.textContent();
    await page.clock.fastForward('02:00');
    await expect(app.refreshedWhen).toHaveText('checked 2 min ago');
    await expect(appliedTime).not.toHaveText(before ?? '');
    await app.refreshButton.click();
    await expect(app.refreshedWhen).toHaveText('checked just now');
  } finally {
    project.cleanup();
  }
});

test('a running plan: progress, lock held by this run, docked while browsing another connection', async ({ page, database, webMode, saveScreen }) => {
  const project = makeProject('live-dock', [
    createTableMigration(FIRST, 'alpha'),
    { name: SLOW, up: "await knex.raw('select pg_sleep(6)');", down: '' },
  ]);
  try {
    const server = await webMode(['--db', database.url, '--migrations', project.migrations]);
    await openApp(page, server);
    const app = new AppPage(page);
    const ours = page.getByRole('button', { name: /\(command line\)/ });
    await app.button('Upgrade').click();
    await app.plan.skipDryRun();
    await app.plan.confirm('Upgrade 2 migrations');
    await expect(app.run.steps.filter({ hasText: SLOW })).toContainText('running', { timeout: 20_000 });
    await expect(app.run.progress).toHaveAttribute('aria-valuetext', '1 of 2');
    await expect(app.run.dialog).toContainText(/1 of 2 · .* elapsed/);
    await expect(app.statusBar).toContainText('Lock held by this run (1 of 2)');

    await app.run.dock();
    await expect(app.run.dialog).toBeHidden();
    await saveScreen('run-docked');
    // Browse the demo meanwhile: readable, but no second run.
    await page.getByRole('button', { name: /Demo \(embedded\)/ }).click();
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Demo');
    await expect(app.button('Upgrade')).toBeDisabled();
    await expect(app.button('Upgrade')).toHaveAttribute('title', /one run at a time/);
    await expect(app.run.docked).toContainText('Upgrading');
    await ours.click();
    await expect(app.button('Upgrade')).toBeDisabled();
    await expect(app.button('Upgrade')).toHaveAttribute('title', /A run is in progress on this database/);

    // When it ends, the outcome is shown.
    await app.run.expectDone();
    await app.run.close();
    await app.waitIdle();
    await expect(app.statusBar.getByText('Unlocked', { exact: true })).toBeVisible();
  } finally {
    project.cleanup();
  }
});
