// "Test rollbacks…": the stairway on a shadow database names a down that forgets a column and a
// down that throws, verifies the good ones, shows the results on the timeline rows and in the
// Checks tab, and never touches the database the app is connected to.
import { test, expect, openApp, ledger, userTables } from './fixtures';
import { AppPage } from './pages/app-page';
import { createTableMigration, makeProject } from './temp-project';

const AUTHORS = '20260201000001_create_authors.js';
const NICKNAME = '20260201000002_add_nickname.js';
const INDEX = '20260201000003_index_name.js';

test('Test rollbacks: not reversible and failing downs are named, the timeline shows every result, the database is untouched', async ({ page, database, webMode, saveScreen }) => {
  const project = makeProject('rollbacks', [
    createTableMigration(AUTHORS, 'authors', "t.string('name');"),
    { name: NICKNAME, up: "await knex.schema.alterTable('authors', (t) => { t.string('nickname'); });", down: '/* forgets to drop nickname */' },
    { name: INDEX, up: "await knex.schema.alterTable('authors', (t) => { t.index(['name']); });", down: "throw new Error('down not written yet');" },
  ]);
  try {
    const server = await webMode(['--db', database.url, '--migrations', project.migrations]);
    await openApp(page, server);
    const app = new AppPage(page);
    await app.timeline.expectStates([AUTHORS, NICKNAME, INDEX].map((name) => ({ name, state: 'pending' })));

    await app.rollbackTest.run();
    await expect(app.rollbackTest.results).toContainText('2 rollbacks not verified of 3');
    await expect(app.rollbackTest.result(AUTHORS)).toContainText('rollback verified');
    await expect(app.rollbackTest.result(NICKNAME)).toContainText('not reversible');
    await expect(app.rollbackTest.result(NICKNAME)).toContainText('public.authors.nickname');
    await expect(app.rollbackTest.result(INDEX)).toContainText('down failed');
    await expect(app.rollbackTest.result(INDEX)).toContainText('down not written yet');
    await expect(app.rollbackTest.dialog).toContainText('stepstone_shadow_');
    await saveScreen('test-rollbacks-results');
    await app.rollbackTest.close();

    // The timeline rows carry the results.
    await expect(app.timeline.row(AUTHORS)).toContainText('rollback verified');
    await expect(app.timeline.row(NICKNAME)).toContainText('rollback leaves changes');
    await expect(app.timeline.row(INDEX)).toContainText('rollback fails');
    await app.timeline.select(NICKNAME);
    await app.checks.open();
    await expect(app.checks.rollback).toContainText('rollback leaves changes');
    await expect(app.checks.rollback).toContainText('public.authors.nickname');
    await saveScreen('timeline-rollback-badges');

    // The stairway ran on a shadow database: the connected database has nothing.
    expect(await ledger(database.url)).toEqual([]);
    expect(await userTables(database.url)).toEqual([]);
  } finally {
    project.cleanup();
  }
});
