// A lock left by a crash: knex's lock row says locked but nobody holds it. The status bar calls it
// stale and offers Unlock; Unlock frees the row, and History records the unlock.
import { test, expect, openApp, waitForReady, ledger } from './fixtures';
import { query } from '../test/database';
import { AppPage } from './pages/app-page';
import { createTableMigration, makeProject } from './temp-project';

const FIRST = '20250101000001_create_alpha.js';

test('a stale lock: the status bar says so, Unlock frees it and History records it', async ({ page, database, webMode, saveScreen }) => {
  const project = makeProject('unlock', [createTableMigration(FIRST, 'alpha')]);
  try {
    const server = await webMode(['--db', database.url, '--migrations', project.migrations]);
    await openApp(page, server);
    const app = new AppPage(page);
    await app.upgradeAll(1);
    await app.waitIdle();
    await expect(app.statusBar).toContainText('Unlocked');
    await expect(app.statusBar.getByRole('button', { name: 'Unlock', exact: true })).toHaveCount(0);

    // What a crashed `knex migrate:latest` leaves behind.
    await query(database.url, 'update knex_migrations_lock set is_locked = 1');
    await page.reload();
    await waitForReady(page);
    await expect(app.statusBar).toContainText('Locked (stale: left by a crash)');
    const unlock = app.statusBar.getByRole('button', { name: 'Unlock', exact: true });
    await expect(unlock).toBeInViewport();
    await saveScreen('status-bar-stale-lock');

    await unlock.click();
    const confirm = page.getByRole('dialog', { name: 'Release the stale lock?' });
    await expect(confirm).toContainText('no process holds it');
    await saveScreen('unlock-confirmation');
    await confirm.getByRole('button', { name: 'Unlock', exact: true }).click();
    await expect(confirm).toBeHidden();

    await expect(app.statusBar.getByText('Unlocked', { exact: true })).toBeVisible();
    await expect(unlock).toHaveCount(0);
    const [row] = await query<{ is_locked: number }>(database.url, 'select is_locked from knex_migrations_lock');
    expect(row.is_locked).toBe(0);
    // Unlocking touches only the lock: the applied migration stays applied.
    expect(await ledger(database.url)).toEqual([{ name: FIRST, batch: 1 }]);
    await saveScreen('status-bar-unlocked');

    await app.showView('History');
    await expect(app.history.entry('unlock', 'succeeded')).toHaveCount(1);
    await expect(app.history.entries.first()).toContainText('unlock');
    // Unlocking never moves the head: the entry says so ("FIRST → FIRST") rather than "∅ → ∅".
    const range = app.history.headRange(app.history.entry('unlock', 'succeeded'));
    await expect(range).not.toContainText('∅');
    await expect(range.getByTitle(FIRST, { exact: true })).toHaveCount(2); // the head before and the head after
    await saveScreen('history-unlock');
  } finally {
    project.cleanup();
  }
});
