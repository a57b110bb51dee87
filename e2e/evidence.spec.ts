// Applied migrations keep their evidence: the SQL each run sent, the file's text as applied, the
// run's log and its schema change, shown for applied migrations and in History's expanded rows. The
// "edited" badge opens a diff between the applied version and the file on disk. The schema change
// view has Unified/Split, Ignore whitespace, changed lines highlighted, arrow keys between objects.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator } from '@playwright/test';
import { test, expect, openApp } from './fixtures';
import { AppPage } from './pages/app-page';
import { SchemaChangeView } from './pages/schema-change-view';
import { makeProject } from './temp-project';

const FIRST = '20250101000001_create_alpha.js';
const SECOND = '20250101000002_create_beta.js';
const THIRD = '20250101000003_widen_alpha_name.js';

test('applied migrations keep their SQL, text, log and schema change; an edited one diffs against the disk', async ({ page, database, webMode, saveScreen }) => {
  test.slow();
  const project = makeProject('evidence', [
    { name: FIRST, up: "await knex.schema.createTable('alpha', (t) => { t.increments('id'); t.string('name', 50); });", down: "await knex.schema.dropTable('alpha');" },
    { name: SECOND, up: "await knex.schema.createTable('beta', (t) => { t.increments('id'); });", down: "await knex.schema.dropTable('beta');" },
  ]);
  try {
    const server = await webMode(['--db', database.url, '--migrations', project.migrations]);
    await openApp(page, server);
    const app = new AppPage(page);
    await app.upgradeAll(2);
    await app.waitIdle();

    // The applied migration's SQL, as it ran.
    await app.timeline.select(FIRST);
    const detail = page.getByRole('complementary', { name: 'Migration detail' });
    await detail.getByRole('tab', { name: 'SQL', exact: true }).click();
    await expect(detail).toContainText(/As applied .* by upgrade #1/);
    await expect(detail.getByRole('region', { name: `SQL of ${FIRST} as it ran` })).toContainText('create table "alpha"');
    await detail.getByRole('tab', { name: 'Schema change', exact: true }).click();
    await expect(detail).toContainText('No schema was recorded before this run');

    // A second run changes a column: its schema change is kept, with a line diff of the column.
    writeFileSync(join(project.migrations, THIRD), "exports.up = (knex) => knex.raw('alter table alpha alter column name type text');\nexports.down = (knex) => knex.raw('alter table alpha alter column name type varchar(50)');\n");
    await expect(app.timeline.row(THIRD)).toBeVisible({ timeout: 5_000 });
    await app.button('Upgrade').click();
    await app.plan.waitForDryRun();
    await app.plan.tickWarnings(); // lint: the type change takes an exclusive lock without a lock_timeout
    await app.plan.confirm('Upgrade 1 migration');
    await app.run.expectDone();
    await app.run.close();
    await app.waitIdle();
    await app.timeline.select(THIRD);
    await detail.getByRole('tab', { name: 'Schema change', exact: true }).click();
    const changed = detail.getByRole('region', { name: 'Changed: 1' });
    await expect(changed).toContainText('public.alpha.name');
    const lineDiff = changed.getByRole('region', { name: 'public.alpha.name, before and after' });
    await expect(lineDiff.locator('.diff-line-removed')).toContainText('character varying(50)');
    await expect(lineDiff.locator('.diff-line-added')).toContainText('name text');
    await detail.getByRole('radio', { name: 'Split' }).click();
    await expect(lineDiff.locator('table.diff-split')).toBeVisible();
    await saveScreen('applied-schema-change-split');

    // History: the run's log, SQL and schema change in its expanded row.
    await app.showView('History');
    const row = app.history.entries.filter({ hasText: 'upgrade' }).last();
    await row.getByRole('button', { name: /^Details of upgrade/ }).click();
    const expanded = app.history.region.locator('.history-detail');
    await expect(expanded.getByRole('list', { name: 'Log of run #1' })).toContainText(`Applying ${FIRST} (1 of 2)`);
    await expanded.getByRole('tab', { name: 'SQL', exact: true }).click();
    await expect(expanded.getByRole('region', { name: 'SQL of run #1' })).toContainText('create table "beta"');
    await expanded.getByRole('tab', { name: /^Schema change/ }).click();
    await expect(expanded).toContainText('No schema was recorded before this run');
    await saveScreen('history-evidence');

    await app.showView('Timeline');
    await app.timeline.select(SECOND);
    await detail.getByRole('tab', { name: 'SQL', exact: true }).click();
    await expect(detail.getByRole('region', { name: `SQL of ${SECOND} as it ran` })).toBeVisible();

    // Edit an applied file: the "edited" badge opens the diff against the applied version.
    writeFileSync(join(project.migrations, FIRST), `exports.up = async (knex) => { await knex.schema.createTable('alpha', (t) => { t.increments('id'); t.string('name', 80); }); };\nexports.down = async (knex) => { await knex.schema.dropTable('alpha'); };\n`);
    await expect(app.timeline.row(FIRST)).toHaveAccessibleName(/edited after apply/, { timeout: 5_000 });
    await app.timeline.row(FIRST).getByRole('button', { name: 'edited' }).click();
    const dialog = page.getByRole('dialog', { name: `${FIRST}: edited since it was applied` });
    const diff = dialog.getByRole('region', { name: `Changes to ${FIRST} since it was applied` });
    await expect(diff.locator('.diff-line-removed')).toContainText("t.string('name', 50)");
    await expect(diff.locator('.diff-line-added')).toContainText("t.string('name', 80)");
    await saveScreen('edited-diff');
    await dialog.getByRole('radio', { name: 'Split' }).click();
    await expect(diff.locator('table.diff-split')).toBeVisible();
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  } finally {
    project.cleanup();
  }
});

test('schema change objects: arrow keys move between them', async ({ page, database, webMode }) => {
  const project = makeProject('evidence-keys', [
    { name: FIRST, up: "await knex.schema.createTable('alpha', (t) => { t.increments('id'); t.string('name'); });", down: "await knex.schema.dropTable('alpha');" },
  ]);
  try {
    const server = await webMode(['--db', database.url, '--migrations', project.migrations]);
    await openApp(page, server);
    const app = new AppPage(page);
    await app.timeline.select(FIRST);
    const detail = page.getByRole('complementary', { name: 'Migration detail' });
    await detail.getByRole('tab', { name: 'Schema change', exact: true }).click();
    const objects = new SchemaChangeView(detail).objects;
    await expect(objects).toHaveCount(2); // the table and its id sequence
    await objects.first().focus();
    await page.keyboard.press('ArrowDown');
    await expect(objects.nth(1)).toBeFocused();
    await page.keyboard.press('ArrowUp');
    await expect(objects.first()).toBeFocused();
    await page.keyboard.press('j');
    await expect(objects.nth(1)).toBeFocused();
  } finally {
    project.cleanup();
  }
});

/** A plpgsql function whose body is these lines (its definition keeps them as written). */
function functionMigration(name: string, body: string[]): { name: string; up: string; down: string } {
  const sql = `create or replace function public.answer() returns int language plpgsql as $$\n${body.join('\n')}\n$$`;
  return { name, up: `await knex.raw(${JSON.stringify(sql)});`, down: "await knex.raw('drop function if exists public.answer()');" };
}

test('schema change diff: changed lines highlighted, Unified/Split, Ignore whitespace hides a re-indented line', async ({ page, database, webMode, saveScreen }) => {
  test.slow(); // the preview is a dry run of both migrations
  const project = makeProject('evidence-whitespace', [
    functionMigration(FIRST, ['begin', 'perform 1;', 'return 1;', 'end']),
    // One line only re-indented, one really changed.
    functionMigration(SECOND, ['begin', '    perform   1;', 'return 2;', 'end']),
  ]);
  try {
    const server = await webMode(['--db', database.url, '--migrations', project.migrations]);
    await openApp(page, server);
    const app = new AppPage(page);
    await app.timeline.select(SECOND);
    const detail = page.getByRole('complementary', { name: 'Migration detail' });
    await detail.getByRole('tab', { name: 'Schema change', exact: true }).click();
    const view = new SchemaChangeView(detail);
    await expect(view.group('Changed')).toContainText('public.answer()', { timeout: 30_000 });
    const diff = view.lineDiff('public.answer()');
    // The definition is read in the line diff, not struck through whole above it.
    await expect(view.group('Changed')).toContainText('definition: changed, lines below');

    // Unified: both lines changed, highlighted (a background of their own, not the unchanged lines').
    await expect(view.removedLines(diff)).toHaveCount(2);
    await expect(view.removedLines(diff).nth(0)).toContainText('perform 1;');
    await expect(view.removedLines(diff).nth(1)).toContainText('return 1;');
    await expect(view.addedLines(diff)).toHaveCount(2);
    const background = (l: Locator) => l.evaluate((el) => getComputedStyle(el).backgroundColor);
    const same = diff.locator('.diff-line-same').first();
    expect(await background(view.removedLines(diff).first())).not.toBe(await background(same));
    expect(await background(view.addedLines(diff).first())).not.toBe(await background(view.removedLines(diff).first()));
    await saveScreen('schema-change-unified');

    // Ignore whitespace: the re-indented line is no longer a change; the real one still is.
    await view.ignoreWhitespace.check();
    await expect(view.removedLines(diff)).toHaveCount(1);
    await expect(view.removedLines(diff)).toContainText('return 1;');
    await expect(view.addedLines(diff)).toHaveCount(1);
    await expect(view.addedLines(diff)).toContainText('return 2;');

    // Split: old beside new, the same lines highlighted on each side.
    await view.setLayout('Split');
    await expect(diff.locator('table.diff-split')).toBeVisible();
    // The chosen layout shows as chosen.
    const layouts = detail.getByRole('radiogroup', { name: 'Diff layout' });
    await expect(layouts.getByRole('radio', { name: 'Split' })).toHaveAttribute('aria-checked', 'true');
    expect(await background(layouts.getByRole('radio', { name: 'Split' }))).not.toBe(await background(layouts.getByRole('radio', { name: 'Unified' })));
    await expect(diff.locator('table.diff-unified')).toHaveCount(0);
    await expect(view.removedLines(diff)).toHaveCount(1);
    await expect(view.addedLines(diff)).toHaveCount(1);
    // The line numbers keep their narrow column (the first row, a fold, does not set the widths).
    const widths = await diff.locator('table.diff-split tr:not(.diff-fold)').first().locator('td').evaluateAll((tds) => tds.map((td) => td.getBoundingClientRect().width));
    expect(widths[0]).toBeLessThan(widths[1] / 2);
    await saveScreen('schema-change-split');
    await view.ignoreWhitespace.uncheck();
    await expect(view.removedLines(diff)).toHaveCount(2);
    await view.setLayout('Unified');
    await expect(diff.locator('table.diff-unified')).toBeVisible();
  } finally {
    project.cleanup();
  }
});
