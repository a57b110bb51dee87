// An interrupted non-transactional migration (issue 10, defect 6), made for real: the CLI is SIGKILLed
// while its CREATE INDEX CONCURRENTLY waits behind an open transaction. The timeline shows the row as
// interrupted (amber) with what was found, a banner and the status bar offer Repair, the dialog offers
// the two repairs with what each does, and the chosen one changes the database as it says.
import { test, expect, openApp, ledger } from './fixtures';
import { query } from '../test/database';
import { AppPage } from './pages/app-page';
import { RepairDialog } from './pages/repair-dialog';
import { INDEX, INDEX_NAME, MORE, THINGS, backendRunning, cli, concurrentIndexProject, indexState, interruptIndexBuild, killCliWhen, openTransaction, until } from './interrupted-cli';

const lockRow = async (url: string) => (await query<{ is_locked: number }>(url, 'select is_locked from knex_migrations_lock'))[0].is_locked;

test('an INVALID index left by a terminated build: the row says so, Mark as applied is refused, Drop and re-run drops it, the next upgrade builds it', async ({
  page,
  database,
  home,
  webMode,
  saveScreen,
}) => {
  test.slow();
  const p = concurrentIndexProject('interrupted');
  try {
    const hold = await interruptIndexBuild(database.url, p.migrations, home);
    // The server builds on after the client died: stopping the build leaves the index INVALID.
    const backend = await until('the build to wait', () => backendRunning(database.url, 'create index concurrently%'));
    await query(database.url, 'select pg_terminate_backend($1)', [backend]);
    await until('the build to end', async () => (await backendRunning(database.url, 'create index concurrently%')) === null);
    await hold.commit();
    expect(await indexState(database.url, INDEX_NAME)).toEqual({ valid: false });

    const server = await webMode(['--db', database.url, '--migrations', p.migrations]);
    await openApp(page, server);
    const app = new AppPage(page);
    const repair = new RepairDialog(page);
    const row = app.timeline.row(INDEX);
    await expect(row).toHaveAccessibleName(/, interrupted during upgrade, needs repair/);
    await expect(row).toContainText(`Interrupted during ${INDEX} (upgrade)`);
    await expect(row).toContainText(`Found: index ${INDEX_NAME} exists but is INVALID`);
    await expect(repair.banner).toContainText(`Interrupted during ${INDEX}`);
    await expect(app.statusBar.getByRole('button', { name: /1 interrupted migration: repair/ })).toBeVisible();
    await saveScreen('interrupted-timeline');

    const dialog = await repair.open(INDEX);
    await expect(dialog).toContainText('INVALID');
    // Marking it applied would record a migration whose index is not usable: refused, with the reason.
    await expect(repair.choice(INDEX, 'Mark as applied')).toBeDisabled();
    await expect(dialog).toContainText(`Not available: index ${INDEX_NAME} is invalid`);
    await expect(repair.choice(INDEX, 'Drop the invalid index and re-run')).toBeEnabled();
    await expect(dialog).toContainText('drop index concurrently if exists "public"."things_name_idx";');
    await saveScreen('repair-dialog-invalid');
    await repair.repair(INDEX, 'Drop the invalid index and re-run', 'Drop index and clear');
    await expect(repair.notice).toContainText(`${INDEX} cleared`);

    // The database: the invalid index dropped, nothing recorded, the lock the dead run left free again.
    expect(await indexState(database.url, INDEX_NAME)).toBeNull();
    expect(await ledger(database.url)).toEqual([{ name: THINGS, batch: 1 }]);
    expect(await lockRow(database.url)).toBe(0);
    await expect(repair.banner).toHaveCount(0);
    await expect(row).toHaveAccessibleName(new RegExp(`, ${INDEX.replace(/\./g, '\\.')}, pending`));

    // The next upgrade runs it again from the start.
    await app.upgradeAll(2);
    await app.waitIdle();
    expect(await indexState(database.url, INDEX_NAME)).toEqual({ valid: true });
    expect((await ledger(database.url)).map((r) => r.name)).toEqual([THINGS, INDEX, MORE]);
    await app.showView('History');
    await expect(app.history.entry('repair', 'succeeded')).toHaveCount(1);
  } finally {
    p.cleanup();
  }
});

test('a complete index the dead run never recorded: Drop is offered but Mark as applied records it, nothing is rebuilt', async ({ page, database, home, webMode, saveScreen }) => {
  test.slow();
  const p = concurrentIndexProject('interrupted');
  try {
    const hold = await interruptIndexBuild(database.url, p.migrations, home);
    // The client is gone; the server finishes the build once the transaction it waits for ends.
    await hold.commit();
    await until('the build to end', async () => (await backendRunning(database.url, 'create index concurrently%')) === null);
    const [{ oid: builtOid }] = await query<{ oid: number }>(database.url, 'select to_regclass($1)::oid::int as oid', [INDEX_NAME]);
    expect(await indexState(database.url, INDEX_NAME)).toEqual({ valid: true });
    expect(await ledger(database.url)).toEqual([{ name: THINGS, batch: 1 }]);

    const server = await webMode(['--db', database.url, '--migrations', p.migrations]);
    await openApp(page, server);
    const app = new AppPage(page);
    const repair = new RepairDialog(page);
    await expect(app.timeline.row(INDEX)).toContainText(`index ${INDEX_NAME} exists and is complete`);

    // From the row's own Repair… (the banner has the same).
    await app.timeline.row(INDEX).getByRole('button', { name: 'Repair…' }).click();
    const dialog = repair.dialog(INDEX);
    await expect(repair.choice(INDEX, 'Mark as applied')).toBeEnabled();
    await expect(dialog).toContainText('every object it creates exists and is valid');
    await saveScreen('repair-dialog-complete');
    await repair.repair(INDEX, 'Mark as applied', 'Mark as applied');
    await expect(repair.notice).toContainText(`${INDEX} recorded as applied`);

    // Recorded as applied in the same batch's place, the very index it built kept (not dropped and rebuilt).
    expect((await ledger(database.url)).map((r) => r.name)).toEqual([THINGS, INDEX]);
    expect((await query<{ oid: number }>(database.url, 'select to_regclass($1)::oid::int as oid', [INDEX_NAME]))[0].oid).toBe(builtOid);
    expect(await lockRow(database.url)).toBe(0);
    await expect(app.timeline.row(INDEX)).toHaveAccessibleName(new RegExp(`, ${INDEX.replace(/\./g, '\\.')}, applied`));
    await expect(repair.banner).toHaveCount(0);
    const [entry] = await query<{ operation: string; details: { action: string; migration: string } }>(
      database.url,
      "select operation, details from stepstone_history where operation = 'repair' order by id desc limit 1",
    );
    expect(entry).toMatchObject({ operation: 'repair', details: { action: 'complete', migration: INDEX } });
  } finally {
    p.cleanup();
  }
});

test('a rollback killed during DROP INDEX CONCURRENTLY that then finished: the applied row says the index is gone, Mark as rolled back records it', async ({
  page,
  database,
  home,
  webMode,
}) => {
  test.slow();
  const p = concurrentIndexProject('interrupted');
  try {
    const all = cli(['upgrade', '--yes', '--no-backup'], database.url, p.migrations, home);
    expect(all.code, all.stderr).toBe(0);
    const hold = await openTransaction(database.url, 'select * from things');
    await killCliWhen(['rollback', '--to', THINGS.replace(/\.js$/, ''), '--yes', '--no-backup'], database.url, p.migrations, home, async () => (await backendRunning(database.url, 'drop index concurrently%')) !== null);
    // The server finishes the drop once the transaction it waits for ends; the ledger still says applied.
    await hold.commit();
    await until('the drop to end', async () => (await backendRunning(database.url, 'drop index concurrently%')) === null);
    expect(await indexState(database.url, INDEX_NAME)).toBeNull();
    expect((await ledger(database.url)).map((r) => r.name)).toEqual([THINGS, INDEX]);

    const server = await webMode(['--db', database.url, '--migrations', p.migrations]);
    await openApp(page, server);
    const app = new AppPage(page);
    const repair = new RepairDialog(page);
    const row = app.timeline.row(INDEX);
    await expect(row).toHaveAccessibleName(/, interrupted during rollback, needs repair/);
    await expect(row).toContainText(`Interrupted during ${INDEX} (rollback)`);
    await expect(row).toContainText('is already gone');

    await repair.open(INDEX);
    // What it drops is gone: rolling back again would fail, so only recording the rollback fits.
    await expect(repair.choice(INDEX, 'Clear it and roll back again')).toBeDisabled();
    await repair.repair(INDEX, 'Mark as rolled back', 'Mark as rolled back');
    await expect(repair.notice).toContainText(`${INDEX} recorded as rolled back`);
    expect((await ledger(database.url)).map((r) => r.name)).toEqual([THINGS]);
    expect(await lockRow(database.url)).toBe(0);
    await expect(row).toHaveAccessibleName(new RegExp(`, ${INDEX.replace(/\./g, '\\.')}, pending`));
    await expect(repair.banner).toHaveCount(0);
  } finally {
    p.cleanup();
  }
});
