// A migration that fails: the UI names it and shows the database's message, and the database is
// left as the engine promises: untouched in one-transaction mode, at the migration before it in
// per-migration mode.
import { join } from 'node:path';
import { test, expect, openApp, ledger, userTables } from './fixtures';
import { createTableMigration, makeProject, type MigrationFile, type TempProject } from './temp-project';
import { AppPage } from './pages/app-page';

const FIRST = '20250101000001_create_alpha.js';
const BROKEN = '20250101000002_insert_into_missing_table.js';
const THIRD = '20250101000003_create_gamma.js';
const DB_MESSAGE = 'relation "no_such_table" does not exist';

/** The three migrations (the second fails in the database) and, optionally, a knexfile beside them. */
function failingProject(knexfile?: { url: string; disableTransactions: boolean }): TempProject {
  const files: MigrationFile[] = [
    createTableMigration(FIRST, 'alpha'),
    { name: BROKEN, up: "await knex.raw('insert into no_such_table (id) values (1)');", down: '' },
    createTableMigration(THIRD, 'gamma'),
  ];
  return makeProject(
    'failing',
    files,
    knexfile && `module.exports = { client: 'pg', connection: ${JSON.stringify(knexfile.url)}, migrations: { directory: './migrations', disableTransactions: ${knexfile.disableTransactions} } };\n`,
  );
}

async function upgradeAndExpectFailure(app: AppPage, saveScreen: (name: string) => Promise<void>, transaction: RegExp) {
  await app.timeline.expectStates([FIRST, BROKEN, THIRD].map((name) => ({ name, state: 'pending' })));
  await app.button('Upgrade').click();
  await expect(app.plan.dialog).toBeVisible();
  await expect(app.plan.dialog).toContainText(transaction);
  // The dry run already found it: the plan runs only by explicit choice.
  await app.plan.waitForDryRun();
  await expect(app.plan.blocking).toContainText(DB_MESSAGE);
  await saveScreen('plan');
  await app.plan.acknowledge(/Continue anyway/);
  await app.plan.confirm('Upgrade 3 migrations');
  const banner = await app.run.expectFailed();
  await expect(banner).toContainText(BROKEN);
  await expect(banner).toContainText(DB_MESSAGE);
  await saveScreen('run-failed');
  await app.run.close();
  await app.waitIdle();
  // The timeline marks the failed migration and keeps the database's message beside it.
  await expect(app.timeline.row(BROKEN)).toHaveAccessibleName(/last attempt failed/);
  await expect(app.timeline.row(BROKEN)).toContainText(DB_MESSAGE);
  // The lock is free again (the failed run released it), and the status bar says so.
  await expect(app.statusBar).toContainText('Unlocked');
  await expect(app.statusBar.getByText('Unlocked', { exact: true })).toBeInViewport();
}

test('one-transaction mode: the failure is shown and nothing is applied', async ({ page, database, webMode, saveScreen }) => {
  const project = failingProject();
  try {
    const server = await webMode(['--db', database.url, '--migrations', project.migrations]);
    await openApp(page, server);
    const app = new AppPage(page);
    await upgradeAndExpectFailure(app, saveScreen, /All steps run in one transaction/);

    await app.timeline.expectStates([FIRST, BROKEN, THIRD].map((name) => ({ name, state: 'pending' })));
    expect(await ledger(database.url)).toEqual([]);
    expect(await userTables(database.url)).toEqual([]);
    await saveScreen('timeline-after-failure');

    await app.showView('History');
    await expect(app.history.entry('upgrade', 'failed')).toHaveCount(1);
    await saveScreen('history-failed');
  } finally {
    project.cleanup();
  }
});

test('per-migration mode (knexfile disableTransactions): the migration before the failure stays applied', async ({ page, database, webMode, saveScreen }) => {
  const project = failingProject({ url: database.url, disableTransactions: true });
  try {
    const server = await webMode(['--knexfile', join(project.dir, 'knexfile.js')]);
    await openApp(page, server);
    const app = new AppPage(page);
    await upgradeAndExpectFailure(app, saveScreen, /Each migration runs in its own transaction/);

    await app.timeline.expectStates([
      { name: FIRST, state: 'applied' },
      { name: BROKEN, state: 'pending' },
      { name: THIRD, state: 'pending' },
    ]);
    expect(await ledger(database.url)).toEqual([{ name: FIRST, batch: 1 }]);
    expect(await userTables(database.url)).toEqual(['alpha']);
    await saveScreen('timeline-after-failure');
  } finally {
    project.cleanup();
  }
});
