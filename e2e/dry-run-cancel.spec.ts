// "Run without waiting for the dry run" cancels the dry run on the server: its transaction (which
// created the table the run creates too, then sleeps) is rolled back at once, so the run does not
// wait behind it and no backend is left sleeping while holding its locks.
import { test, expect, openApp, ledger } from './fixtures';
import { query } from '../test/database';
import { AppPage } from './pages/app-page';
import { makeProject } from './temp-project';
import { until } from './interrupted-cli';

const GATED = '20250101000001_create_alpha.js';

/** The backend running the dry run's sleep on this test's database, or null. */
async function sleeper(url: string): Promise<number | null> {
  const rows = await query<{ pid: number }>(url, "select pid from pg_stat_activity where datname = current_database() and state = 'active' and query like '%pg_sleep(3600)%' and pid <> pg_backend_pid()");
  return rows[0]?.pid ?? null;
}

test('running without waiting cancels the dry run’s statement: the run is not held by its locks, no backend is left sleeping', async ({ page, database, webMode, saveScreen }) => {
  // The migration creates alpha, then sleeps an hour (statement_timeout lifted) while dry_gate has a row: the
  // dry run sees the row; the test empties it before the real run, which then does not sleep.
  await query(database.url, 'create table dry_gate (id int); insert into dry_gate values (1)');
  const p = makeProject('dry-run-cancel', [
    {
      name: GATED,
      up: "await knex.schema.createTable('alpha', (t) => { t.increments('id'); }); const { rows } = await knex.raw('select count(*)::int as n from dry_gate'); if (rows[0].n > 0) { await knex.raw('set local statement_timeout = 0'); await knex.raw('select pg_sleep(3600)'); }",
      down: "await knex.schema.dropTable('alpha');",
    },
  ]);
  try {
    const server = await webMode(['--db', database.url, '--migrations', p.migrations]);
    await openApp(page, server);
    const app = new AppPage(page);
    await app.button('Upgrade').click();
    await expect(app.plan.dialog).toBeVisible();
    // The dry run holds its uncommitted table alpha and sleeps.
    const pid = await until('the dry run to sleep', () => sleeper(database.url));
    await query(database.url, 'delete from dry_gate');
    await expect(app.plan.dialog.getByRole('checkbox', { name: 'Run without waiting for the dry run' })).toBeVisible();
    await saveScreen('plan-dry-run-still-going');

    await app.plan.skipDryRun();
    await app.plan.confirm('Upgrade 1 migration');
    // Had the dry run gone on, the run's CREATE TABLE alpha would wait for its transaction: an hour.
    await app.run.expectDone();
    await app.run.close();
    const left = await query<{ n: number }>(database.url, "select count(*)::int as n from pg_stat_activity where pid = $1 and state = 'active' and query like '%pg_sleep(3600)%'", [pid]);
    expect(left[0].n).toBe(0);
    expect(await sleeper(database.url)).toBeNull();
    expect(await ledger(database.url)).toEqual([{ name: GATED, batch: 1 }]);
    expect((await query<{ t: string | null }>(database.url, "select to_regclass('public.alpha')::text as t"))[0].t).toBe('alpha');
  } finally {
    p.cleanup();
  }
});
