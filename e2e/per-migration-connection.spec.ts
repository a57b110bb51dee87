// Per-migration transactions chosen in the connection dialog: Add connection → Import URL for the
// test database → a temporary migrations folder whose 2nd migration fails → "One transaction per
// migration" → Save → Upgrade: the failure is shown and the 1st migration stays applied.
import { test, expect, openShell, waitForReady, ledger, userTables } from './fixtures';
import { AppPage } from './pages/app-page';
import { ConnectionDialog } from './pages/connection-dialog';
import { createTableMigration, makeProject } from './temp-project';

const FIRST = '20250101000001_create_alpha.js';
const BROKEN = '20250101000002_insert_into_missing_table.js';
const THIRD = '20250101000003_create_gamma.js';

test('connection dialog with one transaction per migration: the migration before a failure stays applied', async ({ page, database, webMode, saveScreen }) => {
  const project = makeProject('per-migration', [
    createTableMigration(FIRST, 'alpha'),
    { name: BROKEN, up: "await knex.raw('insert into no_such_table (id) values (1)');", down: '' },
    createTableMigration(THIRD, 'gamma'),
  ]);
  try {
    const server = await webMode([]);
    await openShell(page, server);
    const app = new AppPage(page);

    const dialog = new ConnectionDialog(page);
    await dialog.openNew();
    await expect(dialog.dialog).toBeVisible();
    await dialog.field('Name').fill('Per-migration test');
    await dialog.field('Import URL').fill(database.url);
    await dialog.dialog.getByRole('button', { name: 'Import', exact: true }).click();
    // The URL's parts land in the fields.
    const url = new URL(database.url);
    await expect(dialog.field('Host')).toHaveValue(url.hostname);
    await expect(dialog.field('Port')).toHaveValue(url.port || '5432');
    await expect(dialog.field('Database')).toHaveValue(database.name);
    await dialog.field('Migrations folder').fill(project.migrations);
    const perMigration = dialog.dialog.getByRole('radio', { name: /One transaction per migration/ });
    await perMigration.check();
    await expect(perMigration).toBeChecked();
    await saveScreen('connection-form-per-migration');
    await dialog.save();

    await expect(page.getByRole('button', { name: /^Per-migration test/ })).toHaveAttribute('aria-current', 'true');
    await waitForReady(page);
    await app.timeline.expectStates([FIRST, BROKEN, THIRD].map((name) => ({ name, state: 'pending' })));

    await app.button('Upgrade').click();
    await expect(app.plan.dialog).toContainText(/Each migration runs in its own transaction/);
    await app.plan.waitForDryRun();
    await saveScreen('plan-per-migration');
    await app.plan.acknowledge(/Continue anyway/);
    await app.plan.confirm('Upgrade 3 migrations');
    const banner = await app.run.expectFailed();
    await expect(banner).toContainText(BROKEN);
    await expect(banner).toContainText('relation "no_such_table" does not exist');
    await saveScreen('run-failed-per-migration');
    await app.run.close();
    await app.waitIdle();

    await app.timeline.expectStates([
      { name: FIRST, state: 'applied' },
      { name: BROKEN, state: 'pending' },
      { name: THIRD, state: 'pending' },
    ]);
    await expect(app.timeline.row(BROKEN)).toHaveAccessibleName(/last attempt failed/);
    expect(await ledger(database.url)).toEqual([{ name: FIRST, batch: 1 }]);
    expect(await userTables(database.url)).toEqual(['alpha']);
    await expect(app.statusBar.getByText('Unlocked', { exact: true })).toBeVisible();
    await saveScreen('timeline-first-applied');
  } finally {
    project.cleanup();
  }
});
