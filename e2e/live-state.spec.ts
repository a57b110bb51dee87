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
import { closeGate } from './run-gate';

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
  const gate = await closeGate(database.url);
  const project = makeProject('live-dock', [createTableMigration(FIRST, 'alpha'), gate.migration(SLOW, 'slow')]);
  try {
    const server = await webMode(['--db', database.url, '--migrations', project.migrations]);
    await openApp(page, server);
    const app = new AppPage(page);
    const ours = page.getByRole('button', { name: /\(command line\)/ });
    await app.button('Upgrade').click();
    // The dry run meets the closed gate too: it gives up (busy) and says so, a warning to tick.
    await app.plan.waitForDryRun();
    await app.plan.tickWarnings();
    await app.plan.confirm('Upgrade 2 migrations');
    await expect(app.run.steps.filter({ hasText: SLOW })).toContainText('running', { timeout: 60_000 }); // after the backup
    await expect(app.run.progress).toHaveAttribute('aria-valuetext', '1 of 2');
    await expect(app.run.dialog).toContainText(/1 of 2 · .* elapsed/);
    await expect(app.statusBar).toContainText('Lock held by this run (1 of 2)');

    await app.run.dock();
    await expect(app.run.dialog).toBeHidden();
    await expect(app.run.docked).toContainText('1 of 2');
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
    await expect(app.button('Rollback')).toBeDisabled();

    // When it ends, the outcome is shown.
    await gate.open();
    await app.run.expectDone();
    await app.run.close();
    await app.waitIdle();
    await expect(app.statusBar.getByText('Unlocked', { exact: true })).toBeVisible();
  } finally {
    await gate.open();
    project.cleanup();
  }
});

test('a long plan in a small window: the running step stays in view, in the run and on the timeline', async ({ page, database, webMode, saveScreen }) => {
  test.slow();
  await page.setViewportSize({ width: 1024, height: 700 });
  const gate = await closeGate(database.url);
  const quick = Array.from({ length: 29 }, (_, i) => createTableMigration(`202501010001${String(i).padStart(2, '0')}_create_t${i}.js`, `t${i}`));
  const LAST = '20250101000200_wait_at_the_gate.js';
  const project = makeProject('live-long', [...quick, gate.migration(LAST, 'gated')]);
  try {
    const server = await webMode(['--db', database.url, '--migrations', project.migrations]);
    await openApp(page, server);
    const app = new AppPage(page);
    // The timeline starts at its top, far from where the run will be.
    await expect(app.timeline.row(quick[0].name)).toBeInViewport();
    expect(await app.timeline.list.evaluate((el) => el.scrollTop)).toBe(0);
    await app.button('Upgrade').click();
    await app.plan.waitForDryRun();
    await app.plan.tickWarnings();
    await app.plan.confirm('Upgrade 30 migrations');
    const running = app.run.steps.filter({ hasText: LAST });
    await expect(running).toContainText('running', { timeout: 60_000 });
    await expect(app.run.progress).toHaveAttribute('aria-valuetext', '29 of 30');
    await expect(app.run.dialog).toContainText(/29 of 30 · .* elapsed/);
    // The steps list scrolls (30 steps do not fit at 700 px) and shows the running one.
    const list = app.run.dialog.getByRole('list', { name: 'Steps' });
    expect(await list.evaluate((el) => el.scrollHeight > el.clientHeight)).toBe(true);
    await expect(running).toBeInViewport();
    await expect(app.run.steps.first()).not.toBeInViewport();
    await expect(app.statusBar).toContainText('Lock held by this run (29 of 30)');
    await saveScreen('long-run-1024');

    // Docked, the timeline shows the running row too.
    await app.run.dock();
    await expect(app.timeline.row(LAST)).toBeInViewport();
    await expect(app.timeline.row(LAST)).toHaveAccessibleName(/running/);
    expect(await app.timeline.list.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);

    await gate.open();
    await app.run.expectDone();
    await app.run.close();
    await app.waitIdle();
  } finally {
    await gate.open();
    project.cleanup();
  }
});
