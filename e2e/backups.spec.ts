// The Backups panel: a backup is taken before an upgrade; Verify checks it in a scratch database;
// Restore into a new database leaves the original alone and brings back that moment.
import { test, expect, openApp, ledger, userTables, ROOT } from './fixtures';
import { AppPage } from './pages/app-page';
import { dropDatabase, urlFor } from '../test/database';
import { join } from 'node:path';

test('backups: taken before an upgrade, verified, restored into a new database', async ({ page, database, webMode, saveScreen }) => {
  const server = await webMode(['--db', database.url, '--migrations', join(ROOT, 'migrations')]);
  await openApp(page, server);
  const app = new AppPage(page);
  await app.upgradeAll(14);
  await app.waitIdle();
  expect(await ledger(database.url)).toHaveLength(14);

  await app.showView('Backups');
  const rows = page.getByRole('table').getByRole('row');
  await expect(rows).toHaveCount(2); // header + the backup taken before the upgrade
  await expect(rows.nth(1)).toContainText(/before upgrade/i);
  await saveScreen('backups-list');

  await rows.nth(1).getByRole('button', { name: /^Verify/ }).click();
  await expect(rows.nth(1)).toContainText(/match|verified|OK/i, { timeout: 30_000 });
  await saveScreen('backups-verified');

  const copy = `${database.name}_copy`;
  try {
    await rows.nth(1).getByRole('button', { name: /^Restore/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('radio', { name: /new database/ }).check();
    await dialog.getByRole('textbox', { name: 'New database name' }).fill(copy);
    await saveScreen('restore-into-new');
    await dialog.getByRole('button', { name: 'Restore into new database' }).click();
    await expect(page.getByRole('region', { name: 'Backups' }).getByRole('status').filter({ hasText: /^(Restoring|Restored) / })).toContainText(`Restored ${copy}`, { timeout: 60_000 });
    await saveScreen('restored-into-new');
    // The copy holds the moment before the upgrade (nothing applied); the original is untouched.
    expect(await ledger(urlFor(copy))).toEqual([]);
    expect(await userTables(urlFor(copy))).toEqual([]);
    expect(await ledger(database.url)).toHaveLength(14);
  } finally {
    await dropDatabase(copy);
  }
});
