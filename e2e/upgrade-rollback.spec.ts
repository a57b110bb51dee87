// The main story on a real PostgreSQL database: everything pending → Upgrade → History →
// Rollback (last batch) → Upgrade to here → Roll back to here; after each step the UI and the
// database's knex_migrations must agree.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, openApp, ledger, userTables, ROOT } from './fixtures';
import { AppPage } from './pages/app-page';

const SAMPLE = readdirSync(join(ROOT, 'migrations')).filter((f) => /\.(ts|js|cjs|mjs)$/.test(f)).sort();

/** The rows the timeline should show when the first `applied` sample migrations are applied. */
function expected(applied: number) {
  return SAMPLE.map((name, i) => ({ name, state: i < applied ? 'applied' : 'pending' }));
}

test('upgrade, history, rollback of the last batch, roll back to here and upgrade to here', async ({ page, database, webMode, saveScreen }) => {
  test.slow(); // every plan dialog dry-runs the sample project first (a scratch copy for its non-transactional step)
  expect(SAMPLE).toHaveLength(14);
  const server = await webMode(['--db', database.url, '--migrations', 'migrations']);
  await openApp(page, server);
  const app = new AppPage(page);

  // Every sample migration pending; the database has no ledger rows.
  await app.timeline.expectStates(expected(0));
  expect(await ledger(database.url)).toEqual([]);
  await saveScreen('timeline-all-pending');

  // Upgrade to head: the plan lists all 14, then all are applied in batch 1.
  await app.button('Upgrade').click();
  await expect(app.plan.dialog).toBeVisible();
  await expect(app.plan.migrationSteps()).toHaveCount(14);
  await saveScreen('plan-upgrade-all');
  await app.plan.confirm('Upgrade 14 migrations');
  await app.run.expectDone();
  await saveScreen('run-upgrade-done');
  await app.run.close();
  await app.waitIdle();
  await app.timeline.expectStates(expected(14));
  await expect(app.timeline.row(SAMPLE[13])).toHaveAccessibleName(/, batch 1, head/);
  expect(await ledger(database.url)).toEqual(SAMPLE.map((name) => ({ name, batch: 1 })));
  expect(await userTables(database.url)).toContain('chat_messages');
  await saveScreen('timeline-all-applied');

  // The history shows the upgrade.
  await app.showView('History');
  await expect(app.history.entry('upgrade', 'succeeded')).toHaveCount(1);
  await expect(app.history.entry('upgrade', 'succeeded')).toContainText(SAMPLE[13]);
  await saveScreen('history-after-upgrade');
  await app.showView('Timeline');

  // Rollback (last batch): batch 1 was everything, so everything is pending again.
  await app.button('Rollback').click();
  await app.plan.confirm('Roll back 14 migrations');
  await app.run.expectDone();
  await app.run.close();
  await app.waitIdle();
  await app.timeline.expectStates(expected(0));
  expect(await ledger(database.url)).toEqual([]);
  expect(await userTables(database.url)).toEqual([]);
  await saveScreen('timeline-after-full-rollback');

  // Upgrade to here on the 9th: 1–9 applied in batch 1, the rest pending.
  await app.timeline.select(SAMPLE[8]);
  await app.page.getByRole('button', { name: 'Upgrade to here', exact: true }).click();
  await app.plan.confirm('Upgrade 9 migrations');
  await app.run.expectDone();
  await app.run.close();
  await app.waitIdle();
  await app.timeline.expectStates(expected(9));
  expect(await ledger(database.url)).toEqual(SAMPLE.slice(0, 9).map((name) => ({ name, batch: 1 })));
  await saveScreen('timeline-upgraded-to-9');

  // Upgrade the rest: 10–14 in batch 2 (they alter users and chat_sessions, which exist by now). Their
  // ALTERs take locks without a lock_timeout, so lint warns; never drift after Stepstone's own runs.
  await app.button('Upgrade').click();
  await app.plan.confirmAfterLintWarnings('Upgrade 5 migrations', [
    'missing-lock-timeout on users',
    'missing-lock-timeout on chat_sessions',
    'index-not-concurrent on chat_sessions',
  ]);
  await app.run.expectDone();
  await app.run.close();
  await app.waitIdle();
  await app.timeline.expectStates(expected(14));
  expect((await ledger(database.url)).map((r) => r.batch)).toEqual([...Array(9).fill(1), ...Array(5).fill(2)]);

  // Rollback (last batch): only batch 2 (10–14) becomes pending again.
  await app.button('Rollback').click();
  await expect(app.plan.migrationSteps()).toHaveCount(5);
  await saveScreen('plan-rollback-last-batch');
  await app.plan.confirm('Roll back 5 migrations');
  await app.run.expectDone();
  await app.run.close();
  await app.waitIdle();
  await app.timeline.expectStates(expected(9));
  expect(await ledger(database.url)).toEqual(SAMPLE.slice(0, 9).map((name) => ({ name, batch: 1 })));
  await saveScreen('timeline-after-last-batch-rollback');

  // Roll back to here on the 5th: 6–9 reverted, the 5th stays applied as the head.
  await app.timeline.select(SAMPLE[4]);
  await app.page.getByRole('button', { name: 'Roll back to here', exact: true }).click();
  await app.plan.confirm('Roll back 4 migrations');
  await app.run.expectDone();
  await app.run.close();
  await app.waitIdle();
  await app.timeline.expectStates(expected(5));
  await expect(app.timeline.row(SAMPLE[4])).toHaveAccessibleName(/, head/);
  expect(await ledger(database.url)).toEqual(SAMPLE.slice(0, 5).map((name) => ({ name, batch: 1 })));
  await saveScreen('timeline-rolled-back-to-5');

  // Upgrade to here on the 11th: 6–11 applied in a new batch 2.
  await app.timeline.select(SAMPLE[10]);
  await app.page.getByRole('button', { name: 'Upgrade to here', exact: true }).click();
  await app.plan.confirmAfterLintWarnings('Upgrade 6 migrations', ['missing-lock-timeout on users']);
  await app.run.expectDone();
  await app.run.close();
  await app.waitIdle();
  await app.timeline.expectStates(expected(11));
  expect(await ledger(database.url)).toEqual([
    ...SAMPLE.slice(0, 5).map((name) => ({ name, batch: 1 })),
    ...SAMPLE.slice(5, 11).map((name) => ({ name, batch: 2 })),
  ]);
  await saveScreen('timeline-upgraded-to-11');

  // The history has every operation, newest first.
  await app.showView('History');
  await expect(app.history.entry('upgrade', 'succeeded')).toHaveCount(4);
  await expect(app.history.entry('rollback', 'succeeded')).toHaveCount(3);
  await saveScreen('history-at-the-end');
});
