// Drift: after an upgrade someone adds a column by hand; on reload the status bar warns of a change
// outside migrations, and its details name the column.
import { test, expect, openApp, waitForReady } from './fixtures';
import { query } from '../test/database';
import { AppPage } from './pages/app-page';
import { createTableMigration, makeProject } from './temp-project';

const FIRST = '20250101000001_create_alpha.js';

test('a column added by hand shows as drift in the status bar, with details naming it', async ({ page, database, webMode, saveScreen }) => {
  const project = makeProject('drift', [createTableMigration(FIRST, 'alpha', "t.string('name');")]);
  try {
    const server = await webMode(['--db', database.url, '--migrations', project.migrations]);
    await openApp(page, server);
    const app = new AppPage(page);
    await app.upgradeAll(1);
    await app.waitIdle();
    const warning = app.statusBar.getByRole('button', { name: /^Drift: / });
    // Right after a Stepstone operation the live schema is the recorded one.
    await page.reload();
    await waitForReady(page);
    await expect(app.statusBar).toContainText('Unlocked');
    await expect(warning).toHaveCount(0);

    await query(database.url, 'alter table alpha add column nickname text not null default \'x\'');
    await page.reload();
    await waitForReady(page);
    await expect(warning).toHaveText('Drift: 1 change outside migrations');
    await expect(warning).toBeInViewport();
    await saveScreen('status-bar-drift');

    await warning.click();
    const dialog = page.getByRole('dialog', { name: 'Schema drift' });
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText(`at head ${FIRST}`);
    // The explanation wraps inside the dialog (the status bar's one-line style must not leak in).
    const explanation = dialog.getByText(/These changes were made outside migrations\.$/);
    await expect(explanation).toBeInViewport({ ratio: 1 });
    expect(await explanation.evaluate((el) => el.scrollWidth <= el.clientWidth && el.getBoundingClientRect().right <= el.closest('[role=dialog]')!.getBoundingClientRect().right)).toBe(true);
    const added = dialog.getByRole('region', { name: 'Added: 1' });
    await expect(added).toContainText('column');
    await expect(added.getByText('public.alpha.nickname', { exact: true })).toBeVisible();
    await expect(added).toContainText("text not null default 'x'::text");
    await saveScreen('drift-details');
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    await expect(dialog).toBeHidden();
  } finally {
    project.cleanup();
  }
});
