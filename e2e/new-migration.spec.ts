// "New migration…": the dialog asks for a name, the file is created from the engine's template in
// the connection's migrations folder, it shows pending on the timeline, and web mode (which can't
// open an editor) shows the file's path.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, openApp, ledger } from './fixtures';
import { AppPage } from './pages/app-page';
import { createTableMigration, makeProject } from './temp-project';

const FIRST = '20250101000001_create_alpha.js';
const SECOND = '20250101000002_create_beta.js';

test('New migration…: the file is created, pending on the timeline, its path shown', async ({ page, database, webMode, saveScreen }) => {
  const project = makeProject('new-migration', [createTableMigration(FIRST, 'alpha'), createTableMigration(SECOND, 'beta')]);
  try {
    const server = await webMode(['--db', database.url, '--migrations', project.migrations]);
    await openApp(page, server);
    const app = new AppPage(page);
    await app.timeline.expectStates([FIRST, SECOND].map((name) => ({ name, state: 'pending' })));

    await app.button('New migration…').click();
    const dialog = page.getByRole('dialog', { name: 'New migration' });
    await expect(dialog).toBeVisible();

    // No name: the dialog says what to do and creates nothing.
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    await expect(dialog.getByRole('alert')).toContainText('Give the migration a name');
    expect(readdirSync(project.migrations)).toEqual([FIRST, SECOND]);

    await dialog.getByLabel('Name', { exact: true }).fill('add_alpha_email');
    await dialog.getByRole('radio', { name: 'JavaScript' }).check();
    await saveScreen('new-migration-form');
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();

    const created = dialog.getByRole('status');
    await expect(created).toContainText(/Created \d{14}_add_alpha_email/);
    await saveScreen('new-migration-created');

    // The file is in the migrations folder, after the two existing ones, and web mode shows its path.
    const files = readdirSync(project.migrations).sort();
    expect(files).toHaveLength(3);
    const file = files.find((f) => f.includes('_add_alpha_email'));
    expect(file).toMatch(/^\d{14}_add_alpha_email\.js$/);
    expect(files.indexOf(file!)).toBe(2);
    const path = join(project.migrations, file!);
    expect(existsSync(path)).toBe(true);
    expect(readFileSync(path, 'utf8')).toMatch(/up/);
    await expect(created).toContainText(path);
    await expect(created).not.toContainText('Opened in your editor');

    await dialog.getByRole('button', { name: 'Done', exact: true }).click();
    await expect(dialog).toBeHidden();
    await app.timeline.expectStates([FIRST, SECOND, file!].map((name) => ({ name, state: 'pending' })));
    // Creating a file never touches the database's ledger.
    expect(await ledger(database.url)).toEqual([]);
    await app.timeline.select(file!);
    await expect(page.getByRole('complementary', { name: 'Migration detail' })).toContainText('add_alpha_email');
    await saveScreen('timeline-with-new-migration');
  } finally {
    project.cleanup();
  }
});
