// UI state belongs to its connection and its dialog: a backup/restore banner of one connection never
// shows on another's Backups tab; a dialog's expanders and inputs start fresh each time it opens;
// focus returns to the parent dialog after a nested one closes.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, openApp, waitForReady } from './fixtures';
import { AppPage } from './pages/app-page';
import { createTableMigration, makeProject } from './temp-project';

const FIRST = '20250101000001_create_alpha.js';
const BROKEN = '20250101000002_insert_into_missing_table.js';

test('a backup banner stays with its connection; dialogs open fresh', async ({ page, database, webMode }) => {
  const project = makeProject('ui-state', [createTableMigration(FIRST, 'alpha')]);
  try {
    const server = await webMode(['--db', database.url, '--migrations', project.migrations]);
    await openApp(page, server);
    const app = new AppPage(page);
    const ours = page.getByRole('button', { name: /\(command line\)/ });

    await app.showView('Backups');
    await app.button('Back up now').click();
    const banner = page.getByRole('region', { name: 'Backups' }).locator('.task-panel');
    await expect(banner).toContainText('Backed up to', { timeout: 30_000 });

    await page.getByRole('button', { name: /Demo \(embedded\)/ }).click();
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Demo');
    await waitForReady(page);
    await app.showView('Backups');
    await expect(page.getByRole('region', { name: 'Backups' })).toBeVisible();
    await expect(page.locator('.task-panel')).toHaveCount(0);
    await ours.click();
    await expect(page.getByRole('region', { name: 'Backups' }).locator('.task-panel')).toContainText('Backed up to');

    // The plan's expander starts closed at every opening.
    await app.showView('Timeline');
    await app.button('Upgrade').click();
    const disclosure = app.plan.dialog.getByRole('button', { name: /Show SQL and schema change/ });
    await disclosure.click();
    await expect(disclosure).toHaveAttribute('aria-expanded', 'true');
    await app.plan.dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
    await app.button('Upgrade').click();
    await expect(app.plan.dialog.getByRole('button', { name: /Show SQL and schema change/ })).toHaveAttribute('aria-expanded', 'false');
    await page.keyboard.press('Escape');

    // The connection form starts empty after a cancelled one.
    await app.addConnectionButton.click();
    const form = page.getByRole('dialog', { name: 'Add connection' });
    await form.getByLabel('Name', { exact: true }).fill('Half typed');
    await form.getByRole('button', { name: 'Cancel', exact: true }).click();
    await app.addConnectionButton.click();
    await expect(form.getByLabel('Name', { exact: true })).toHaveValue('');
  } finally {
    project.cleanup();
  }
});

test('after confirming a restore from the failure dialog, focus is back in the failure dialog', async ({ page, database, webMode }) => {
  const project = makeProject('ui-focus', [createTableMigration(FIRST, 'alpha'), { name: BROKEN, up: "await knex.raw('insert into no_such_table (id) values (1)');", down: '' }]);
  const knexfile = join(project.dir, 'knexfile.js');
  writeFileSync(knexfile, `module.exports = { client: 'pg', connection: ${JSON.stringify(database.url)}, migrations: { directory: './migrations', disableTransactions: true } };\n`);
  try {
    const server = await webMode(['--knexfile', knexfile]);
    await openApp(page, server);
    const app = new AppPage(page);
    await app.button('Upgrade').click();
    await app.plan.waitForDryRun();
    await app.plan.acknowledge(/Continue anyway/);
    await app.plan.confirm('Upgrade 2 migrations');
    const banner = await app.run.expectFailed();
    await banner.getByRole('button', { name: /^Restore the backup/ }).click();
    const confirm = page.getByRole('dialog', { name: 'Restore the backup?' });
    await confirm.getByRole('button', { name: 'Restore', exact: true }).click();
    await expect(confirm).toBeHidden();
    await expect(banner).toContainText('Restored', { timeout: 30_000 });
    // Focus is inside the failure dialog (not on the page behind its overlay), and the keyboard still works there.
    await expect.poll(() => page.evaluate(() => !!document.activeElement?.closest('[role="dialog"]'))).toBe(true);
    await page.keyboard.press('Escape');
    await expect(app.run.dialog).toBeHidden();
  } finally {
    project.cleanup();
  }
});
