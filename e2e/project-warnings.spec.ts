// Opening a project says what it left out or cannot use yet (issue 9): an environment with another
// client is skipped and an environment whose URL comes from an unset variable cannot connect; both
// are shown above the connections until dismissed, instead of being dropped by the service.
import { basename } from 'node:path';
import { test, expect, openApp } from './fixtures';
import { createTableMigration, makeProject } from './temp-project';

test('Open project…: skipped environments and unset variables are shown in the connections pane', async ({ page, database, webMode, saveScreen }) => {
  const knexfile = `module.exports = {
  development: { client: 'pg', connection: ${JSON.stringify(database.url)}, migrations: { directory: './migrations' } },
  test: { client: 'sqlite3', connection: { filename: './test.sqlite3' }, useNullAsDefault: true },
  staging: { client: 'pg', connection: process.env.STEPSTONE_E2E_UNSET_STAGING_URL, migrations: { directory: './migrations' } },
};
`;
  const project = makeProject('project-warnings', [createTableMigration('20250101000001_create_alpha.js', 'alpha')], knexfile);
  const folder = basename(project.dir);
  try {
    const server = await webMode([]);
    await openApp(page, server);
    const connections = page.getByRole('navigation', { name: 'Connections' });
    await expect(connections.getByRole('region', { name: 'Project warnings' })).toHaveCount(0);

    await connections.getByRole('button', { name: 'Open project…', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Open project' });
    await dialog.getByLabel('Project folder').fill(project.dir);
    await dialog.getByRole('button', { name: 'Open', exact: true }).click();
    await expect(dialog).toBeHidden();

    const warnings = connections.getByRole('region', { name: 'Project warnings' });
    await expect(warnings).toBeVisible();
    await expect(warnings.getByRole('listitem')).toHaveCount(2);
    await expect(warnings).toContainText('test is skipped: it uses client "sqlite3"');
    await expect(warnings).toContainText("staging's connection comes from STEPSTONE_E2E_UNSET_STAGING_URL, which is not set.");
    // The usable environments are still there, the skipped one is not.
    await expect(connections.getByRole('button', { name: new RegExp(`^${folder} · development`) })).toBeVisible();
    await expect(connections.getByRole('button', { name: new RegExp(`^${folder} · staging`) })).toBeVisible();
    await expect(connections.getByRole('button', { name: new RegExp(`^${folder} · test`) })).toHaveCount(0);
    await saveScreen('project-warnings');

    await warnings.getByRole('button', { name: 'Dismiss' }).click();
    await expect(warnings).toHaveCount(0);
  } finally {
    project.cleanup();
  }
});
