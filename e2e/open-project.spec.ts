// Open project… in web mode: the browser can't pick folders, so the user types the path of a
// folder with a knexfile; its environments become connections grouped by environment, and
// opening one shows its timeline.
import { basename } from 'node:path';
import { test, expect, openApp, waitForReady, ledger } from './fixtures';
import { serverUrl } from '../test/database';
import { AppPage } from './pages/app-page';
import { createTableMigration, makeProject } from './temp-project';

const FIRST = '20250101000001_create_alpha.js';
const SECOND = '20250101000002_create_beta.js';

test('Open project…: a knexfile’s environments become connections grouped by environment', async ({ page, database, webMode, saveScreen }) => {
  const elsewhere = new URL(serverUrl());
  elsewhere.pathname = '/stepstone_e2e_no_such_db';
  const knexfile = `module.exports = {
  development: { client: 'pg', connection: ${JSON.stringify(database.url)}, migrations: { directory: './migrations' } },
  staging: { client: 'pg', connection: ${JSON.stringify(elsewhere.toString())}, migrations: { directory: './migrations' } },
  production: { client: 'pg', connection: ${JSON.stringify(elsewhere.toString())}, migrations: { directory: './migrations' } },
};
`;
  const project = makeProject('open-project', [createTableMigration(FIRST, 'alpha'), createTableMigration(SECOND, 'beta')], knexfile);
  const folder = basename(project.dir);
  try {
    const server = await webMode([]);
    await openApp(page, server);
    const app = new AppPage(page);
    const connections = page.getByRole('navigation', { name: 'Connections' });
    await expect(connections.getByRole('region')).toHaveCount(1); // only the demo, under "local"

    await connections.getByRole('button', { name: 'Open project…', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Open project' });
    // A folder without a knexfile is explained, and nothing is added.
    await dialog.getByLabel('Project folder').fill(project.migrations);
    await dialog.getByRole('button', { name: 'Open', exact: true }).click();
    await expect(dialog.getByRole('alert')).toContainText(/knexfile/i);
    await saveScreen('open-project-no-knexfile');

    await dialog.getByLabel('Project folder').fill(project.dir);
    await saveScreen('open-project-dialog');
    await dialog.getByRole('button', { name: 'Open', exact: true }).click();
    await expect(dialog).toBeHidden();

    // One connection per environment, each under its environment's heading.
    const group = (env: string) => connections.getByRole('region', { name: env, exact: true });
    await expect(group('development').getByRole('button', { name: new RegExp(`^${folder} · development`) })).toBeVisible();
    await expect(group('staging').getByRole('button', { name: new RegExp(`^${folder} · staging`) })).toBeVisible();
    await expect(group('production').getByRole('button', { name: new RegExp(`^${folder} · production`) })).toBeVisible();
    await expect(group('local').getByRole('button', { name: /^Demo/ })).toBeVisible();

    // Open the development one: its timeline is the project's migrations, all pending.
    const development = group('development').getByRole('button', { name: new RegExp(`^${folder} · development`) });
    await development.click();
    await expect(development).toHaveAttribute('aria-current', 'true');
    await waitForReady(page);
    await app.timeline.expectStates([FIRST, SECOND].map((name) => ({ name, state: 'pending' })));
    await expect(app.statusBar).toContainText(database.name);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${folder} · development`);
    expect(await ledger(database.url)).toEqual([]);
    await saveScreen('project-development-timeline');
  } finally {
    project.cleanup();
  }
});
