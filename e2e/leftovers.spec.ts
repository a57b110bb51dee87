// What interrupted operations leave (issue 10, defects 8 and 9), made for real with the CLI: a
// restore into a new database interrupted while it loads (its marked database stays) and a backup
// SIGKILLed while it writes (its .partial file stays). The Backups view lists both with whether their
// creator is gone; Clean up removes only what no live process owns: the file at once, the database
// once its restore is dead too.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, openApp } from './fixtures';
import { query, serverUrl } from '../test/database';
import { AppPage } from './pages/app-page';
import { LeftoversPanel, RepairDialog } from './pages/repair-dialog';
import { createTableMigration, makeProject } from './temp-project';
import { cli, killCliWhen, stopCliWhen } from './interrupted-cli';

const THINGS = '20250101000001_things.js';

const databaseExists = async (name: string) => (await query<{ n: number }>(serverUrl(), 'select count(*)::int as n from pg_database where datname = $1', [name]))[0].n > 0;

test('a killed restore’s database and a killed backup’s partial file: listed in Backups with their sizes, removed by Clean up once their creator is gone', async ({
  page,
  database,
  home,
  webMode,
  saveScreen,
}) => {
  test.slow();
  const p = makeProject('leftovers', [createTableMigration(THINGS, 'things', "t.text('body');")]);
  const into = `${database.name}_restored`.slice(0, 63);
  let restore: { pid: number; kill(): Promise<void> } | null = null;
  try {
    expect(cli(['upgrade', '--yes', '--no-backup'], database.url, p.migrations, home).code).toBe(0);
    // Enough rows that the restore and the backup take a moment to be interrupted in.
    await query(database.url, 'insert into things (body) select md5(g::text) from generate_series(1, 300000) g');
    const backup = cli(['backup', '--method', 'builtin', '--json'], database.url, p.migrations, home);
    expect(backup.code, backup.stderr).toBe(0);

    // The restore is stopped once it created its database (killed later: every Stepstone process on this server
    // drops a stale leftover when it creates a database of its own, and other specs run beside this one).
    restore = await stopCliWhen(['restore', backup.json.id, '--into', into, '--yes'], database.url, p.migrations, home, () => databaseExists(into));
    // The backup dies while it writes: its partial file stays in this data folder's backups.
    const backupsDir = join(home, 'backups');
    const partials = () => (existsSync(backupsDir) ? readdirSync(backupsDir).filter((f) => f.endsWith('.partial')) : []);
    await killCliWhen(['backup', '--method', 'builtin'], database.url, p.migrations, home, async () => partials().length > 0);
    const [partial] = partials();
    expect(partial).toBeDefined();

    const server = await webMode(['--db', database.url, '--migrations', p.migrations]);
    await openApp(page, server);
    const app = new AppPage(page);
    const leftoversBanner = page.getByRole('region', { name: 'Leftovers of interrupted operations' });
    // Databases are the server's (other specs' may be listed too); partial files are this data folder's.
    await expect(leftoversBanner).toContainText(/\d+ databases? of an interrupted restore/);
    await expect(leftoversBanner).toContainText('1 partial backup file');
    await leftoversBanner.getByRole('button', { name: 'Review in Backups' }).click();
    await expect(app.tab('Backups')).toHaveAttribute('aria-selected', 'true');

    const leftovers = new LeftoversPanel(page);
    const db = leftovers.database(into);
    const file = leftovers.partialFile(join(backupsDir, partial));
    await expect(db).toContainText(`restore of backup ${backup.json.id}: never completed`);
    await expect(db).toContainText(`in use by pid ${restore.pid}`);
    await expect(file).toContainText('its writer is gone');
    await expect(file).toContainText(/\d+(\.\d)? (B|KB|MB)/);
    // Listing the backups did not remove it unseen.
    expect(partials()).toEqual([partial]);

    // Only the file's writer is gone: the first clean-up removes it and keeps the database its live restore owns.
    let confirm = await leftovers.cleanUp();
    await expect(confirm).toContainText(partial);
    await expect(confirm).not.toContainText(into);
    await confirm.getByRole('button', { name: 'Clean up', exact: true }).click();
    await expect(confirm).toBeHidden();
    await expect(new RepairDialog(page).notice).toContainText(/removed 1 partial backup file/i);
    await expect(new RepairDialog(page).notice).toContainText(/still in use by a running process (was|were) kept/);
    expect(partials()).toEqual([]);
    await expect(file).toHaveCount(0);
    expect(await databaseExists(into)).toBe(true);

    // The restore dies: its database is now stale, and the next clean-up drops it.
    await restore.kill();
    await app.refreshButton.click();
    await expect(db).toContainText('its creator is gone');
    await saveScreen('backups-leftovers');
    confirm = await leftovers.cleanUp();
    await expect(confirm).toContainText(`database ${into} (dropped)`);
    await confirm.getByRole('button', { name: 'Clean up', exact: true }).click();
    await expect(confirm).toBeHidden();
    await expect(new RepairDialog(page).notice).toContainText(`(${into})`);
    expect(await databaseExists(into)).toBe(false);
    await expect(db).toHaveCount(0);
    // The user's database and the backup that completed are untouched.
    expect((await query<{ n: number }>(database.url, 'select count(*)::int as n from things'))[0].n).toBe(300000);
    expect(existsSync(backup.json.file)).toBe(true);
  } finally {
    await restore?.kill();
    await query(serverUrl(), `drop database if exists "${into}" with (force)`).catch(() => undefined);
    p.cleanup();
  }
});
