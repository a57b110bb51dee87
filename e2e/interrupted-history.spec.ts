// An interrupted operation in the History view (issue 10, defect 7), made for real: the CLI is
// SIGKILLed while a migration sleeps, its backend ends, and the History shows the upgrade as
// 'interrupted during <migration>'; the Outcome filter finds it under 'interrupted'.
import { test, expect, openApp } from './fixtures';
import { query } from '../test/database';
import { AppPage } from './pages/app-page';
import { createTableMigration, makeProject } from './temp-project';
import { backendRunning, cli, killCliWhen, until } from './interrupted-cli';

const THINGS = '20250101000001_things.js';
const SLEEPY = '20250101000002_sleepy.js';

test('a run killed mid-migration reads "interrupted during <migration>" in the History, and the Outcome filter finds it', async ({ page, database, home, webMode, saveScreen }) => {
  test.slow();
  const p = makeProject('interrupted-history', [createTableMigration(THINGS, 'things'), { name: SLEEPY, up: "await knex.raw('select pg_sleep(60)');", down: '' }]);
  try {
    const first = cli(['upgrade', '--to', THINGS.replace(/\.js$/, ''), '--yes', '--no-backup'], database.url, p.migrations, home);
    expect(first.code, first.stderr).toBe(0);
    await killCliWhen(['upgrade', '--yes', '--no-backup'], database.url, p.migrations, home, async () => (await backendRunning(database.url, 'select pg_sleep%')) !== null);
    // The killed client's backend sleeps on until the server notices: end it, as the server would a moment later.
    const sleeper = await backendRunning(database.url, 'select pg_sleep%');
    if (sleeper !== null) await query(database.url, 'select pg_terminate_backend($1)', [sleeper]);
    await until('the killed run’s sessions to end', async () =>
      (await query(database.url, "select 1 from pg_stat_activity where datname = current_database() and application_name like 'stepstone%' and pid <> pg_backend_pid()")).length === 0,
    );

    const server = await webMode(['--db', database.url, '--migrations', p.migrations]);
    await openApp(page, server);
    const app = new AppPage(page);
    await app.showView('History');
    const history = app.history;
    const interrupted = history.entry('upgrade', `interrupted during ${SLEEPY}`);
    await expect(interrupted).toHaveCount(1);
    await expect(history.entry('upgrade', 'succeeded')).toHaveCount(1);
    await saveScreen('history-interrupted');

    await history.region.getByRole('combobox', { name: 'Outcome' }).selectOption('interrupted');
    await expect(history.region.getByText(/^\d+ of \d+$/)).toHaveText('1 of 2');
    await expect(interrupted).toHaveCount(1);
  } finally {
    p.cleanup();
  }
});
