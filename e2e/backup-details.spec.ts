// Backups say what they were taken for ("before Upgrade of 2 migrations, head X → Y"); Verify shows its
// progress while it runs and, right after a manual backup, does not report Stepstone's own tables
// (its history gets a row for that backup) as differing. Show in folder is offered only where a file
// manager exists (the desktop; its channel is tested in the service).
import { test, expect, openApp } from './fixtures';
import { AppPage } from './pages/app-page';
import { createTableMigration, makeProject } from './temp-project';

const FIRST = '20250101000001_create_alpha.js';
const SECOND = '20250101000002_create_beta.js';

test('a backup names its trigger; Verify right after a manual backup passes and shows progress', async ({ page, database, webMode, saveScreen }) => {
  test.slow();
  const project = makeProject('backup-details', [createTableMigration(FIRST, 'alpha'), createTableMigration(SECOND, 'beta')]);
  try {
    const server = await webMode(['--db', database.url, '--migrations', project.migrations]);
    await openApp(page, server);
    const app = new AppPage(page);
    await app.upgradeAll(2);
    await app.waitIdle();

    await app.showView('Backups');
    const region = page.getByRole('region', { name: 'Backups' });
    const rows = region.getByRole('table').getByRole('row');
    await expect(rows).toHaveCount(2);
    await expect(rows.nth(1)).toContainText(`before Upgrade of 2 migrations, head empty → ${SECOND}`);

    await app.button('Back up now').click();
    await expect(region.locator('.task-panel')).toContainText('Backed up to', { timeout: 30_000 });
    await expect(rows).toHaveCount(3);
    const manual = rows.nth(1);
    await expect(manual).toContainText('manual backup');
    await manual.getByRole('button', { name: 'Verify', exact: true }).click();
    await expect(manual.getByRole('status')).toContainText('Verifying');
    await saveScreen('verify-progress');
    await expect(manual.getByRole('status')).toContainText(/verified: \d+ tables/, { timeout: 60_000 });
    await expect(manual.getByRole('status')).not.toContainText('stepstone_');

    // Web mode has no file manager to show the file in: the row's menu does not offer it.
    await manual.getByRole('button', { name: /^More actions for the backup/ }).click();
    await expect(page.getByRole('menuitem', { name: 'Delete…' })).toBeVisible();
    await expect(page.getByRole('menuitem', { name: 'Show in folder' })).toHaveCount(0);
    await page.keyboard.press('Escape');
    await expect(page.getByRole('menu')).toHaveCount(0);
  } finally {
    project.cleanup();
  }
});
