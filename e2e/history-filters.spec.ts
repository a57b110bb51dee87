// The History view after an upgrade, a failed upgrade and a rollback: the Operation and Outcome
// filters narrow the rows to exactly the matching operations, and a row expands to the result of
// each migration it ran.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, openApp, waitForReady } from './fixtures';
import { AppPage } from './pages/app-page';
import { createTableMigration, makeProject } from './temp-project';

const FIRST = '20250101000001_create_alpha.js';
const SECOND = '20250101000002_create_beta.js';
const THIRD = '20250101000003_create_gamma.js';
const BROKEN = '20250101000004_insert_into_missing_table.js';

test('History: Operation and Outcome filters narrow the rows; a row expands to its migrations', async ({ page, database, webMode, saveScreen }) => {
  const project = makeProject('history', [createTableMigration(FIRST, 'alpha'), createTableMigration(SECOND, 'beta')]);
  try {
    const server = await webMode(['--db', database.url, '--migrations', project.migrations]);
    await openApp(page, server);
    const app = new AppPage(page);

    // 1. An upgrade that succeeds (batch 1: alpha, beta).
    await app.upgradeAll(2);
    await app.waitIdle();

    // 2. An upgrade that fails: gamma runs, then the broken one fails and both are rolled back.
    writeFileSync(join(project.migrations, THIRD), "exports.up = (knex) => knex.schema.createTable('gamma', (t) => { t.increments('id'); });\nexports.down = (knex) => knex.schema.dropTable('gamma');\n");
    writeFileSync(join(project.migrations, BROKEN), "exports.up = (knex) => knex.raw('insert into no_such_table (id) values (1)');\nexports.down = async () => {};\n");
    await page.reload();
    await waitForReady(page);
    await app.timeline.expectStates([
      { name: FIRST, state: 'applied' },
      { name: SECOND, state: 'applied' },
      { name: THIRD, state: 'pending' },
      { name: BROKEN, state: 'pending' },
    ]);
    await app.button('Upgrade').click();
    // The dry run finds the failure first; running it anyway is an explicit choice.
    await app.plan.waitForDryRun();
    await app.plan.acknowledge(/Continue anyway/);
    await app.plan.confirm('Upgrade 2 migrations');
    await app.run.expectFailed();
    await app.run.close();
    await app.waitIdle();

    // 3. A rollback of the last batch (alpha, beta).
    await app.button('Rollback').click();
    await app.plan.confirm('Roll back 2 migrations');
    await app.run.expectDone();
    await app.run.close();
    await app.waitIdle();

    await app.showView('History');
    const history = app.history;
    const operation = history.region.getByRole('combobox', { name: 'Operation' });
    const outcome = history.region.getByRole('combobox', { name: 'Outcome' });
    const count = history.region.getByText(/^\d+ of \d+$/);
    /** Each visible row as "operation outcome", newest first. */
    const rowKinds = () =>
      history.entries.evaluateAll((rows) =>
        rows.filter((r) => r.querySelector('.expander')).map((r) => `${r.children[2].textContent} ${r.children[1].textContent}`),
      );

    // Unfiltered: the three operations, newest first.
    const all = ['rollback succeeded', 'upgrade failed', 'upgrade succeeded'];
    await expect.poll(rowKinds).toEqual(all);
    await expect(count).toHaveText('3 of 3');
    await saveScreen('history-unfiltered');

    await operation.selectOption('upgrade');
    await expect.poll(rowKinds).toEqual(['upgrade failed', 'upgrade succeeded']);
    await expect(count).toHaveText('2 of 3');
    await saveScreen('history-upgrades');

    await outcome.selectOption('failed');
    await expect.poll(rowKinds).toEqual(['upgrade failed']);
    await expect(count).toHaveText('1 of 3');
    await saveScreen('history-failed-upgrades');

    await operation.selectOption('rollback');
    await expect.poll(rowKinds).toEqual([]);
    await expect(history.region).toContainText('No operation matches these filters.');
    await saveScreen('history-no-match');

    await outcome.selectOption('succeeded');
    await expect.poll(rowKinds).toEqual(['rollback succeeded']);

    await operation.selectOption('');
    await expect.poll(rowKinds).toEqual(all.filter((k) => k.endsWith(' succeeded')));

    // The failed upgrade expands to its migrations: gamma rolled back with the plan, the broken one failed.
    await outcome.selectOption('failed');
    const failed = history.entry('upgrade', 'failed');
    const expander = failed.getByRole('button', { name: /^Details of upgrade #\d+$/ });
    await expect(expander).toHaveAttribute('aria-expanded', 'false');
    await expander.click();
    await expect(expander).toHaveAttribute('aria-expanded', 'true');
    // Its per-migration results, not the lines of its run log (which name the same migrations).
    const steps = history.migrationResults('upgrade');
    await expect(steps).toHaveCount(2);
    await expect(steps.filter({ hasText: THIRD })).toContainText('rolled-back');
    await expect(steps.filter({ hasText: BROKEN })).toContainText('failed');
    await expect(steps.filter({ hasText: BROKEN })).toContainText('relation "no_such_table" does not exist');
    // The state it left is said in words, not as raw JSON.
    const details = history.region.getByRole('definition').filter({ hasText: /^Nothing applied/ });
    await expect(details).toBeVisible();
    await expect(history.region).not.toContainText('"stateAfter"');
    await saveScreen('history-failed-expanded');

    // The rollback expands to its two reverted migrations.
    await outcome.selectOption('succeeded');
    await operation.selectOption('rollback');
    await history.entry('rollback', 'succeeded').getByRole('button', { name: /^Details of rollback/ }).click();
    const reverted = history.migrationResults('rollback');
    await expect(reverted).toHaveCount(2);
    await expect(reverted.filter({ hasText: SECOND })).toContainText('reverted');
    await expect(reverted.filter({ hasText: FIRST })).toContainText('reverted');
    await saveScreen('history-rollback-expanded');
  } finally {
    project.cleanup();
  }
});
