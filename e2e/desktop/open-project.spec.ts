// Open project… on the desktop: the system folder dialog (scripted here) picks the project; a
// cancelled dialog changes nothing; the knexfile's environments become connections.
import { basename } from 'node:path';
import { ledger } from '../fixtures';
import { AppPage } from '../pages/app-page';
import { createTableMigration, makeProject } from '../temp-project';
import { test, expect, waitForApp, waitForShell } from './fixtures';

const FIRST = '20250101000001_create_alpha.js';
const SECOND = '20250101000002_create_beta.js';

test('Open project… asks the folder dialog; the knexfile’s environments become connections', async ({ desktop, database }) => {
  const knexfile = `module.exports = { development: { client: 'pg', connection: ${JSON.stringify(database.url)}, migrations: { directory: './migrations' } } };\n`;
  const project = makeProject('desktop-open', [createTableMigration(FIRST, 'alpha'), createTableMigration(SECOND, 'beta')], knexfile);
  const folder = basename(project.dir);
  try {
    const app = await desktop();
    await waitForShell(app.page);
    const ui = new AppPage(app.page);
    const connections = app.page.getByRole('navigation', { name: 'Connections' });
    await expect(connections.getByRole('region')).toHaveCount(1);

    // The user cancels the dialog: nothing is added, nothing is said.
    await app.scriptDialog('showOpenDialog', { canceled: true, filePaths: [] });
    expect(await app.menu.press('CmdOrCtrl+O')).toBe('File › Open project…');
    await expect.poll(async () => (await app.records()).dialogs.length).toBe(1);
    await expect(connections.getByRole('region')).toHaveCount(1);

    // The user picks the project folder, from the Connections pane's button this time.
    await app.scriptDialog('showOpenDialog', { canceled: false, filePaths: [project.dir] });
    await connections.getByRole('button', { name: 'Open project…', exact: true }).click();
    const development = connections.getByRole('region', { name: 'development', exact: true }).getByRole('button', { name: new RegExp(`^${folder} · development`) });
    await expect(development).toBeVisible();
    const { dialogs } = await app.records();
    expect(dialogs).toHaveLength(2);
    for (const d of dialogs) expect(d).toMatchObject({ method: 'showOpenDialog', scripted: true, options: { properties: ['openDirectory'] } });

    await development.click();
    await waitForApp(app.page);
    await ui.timeline.expectStates([FIRST, SECOND].map((name) => ({ name, state: 'pending' })));
    await expect(ui.statusBar).toContainText(database.name);
    expect(await ledger(database.url)).toEqual([]);
  } finally {
    project.cleanup();
  }
});
