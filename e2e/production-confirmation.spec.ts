// A production profile: the plan's primary button stays disabled until the database name is typed
// exactly; then the upgrade runs (with the backup production always takes).
import { join } from 'node:path';
import { test, expect, openApp, ledger, ROOT } from './fixtures';
import { AppPage } from './pages/app-page';
import { makeProject, type TempProject } from './temp-project';

/** A project whose knexfile's production environment is the test database with the sample migrations. */
function productionProject(url: string): TempProject & { knexfile: string } {
  const migrations = JSON.stringify(join(ROOT, 'migrations'));
  const project = makeProject(
    'prod',
    [],
    `module.exports = {\n  development: { client: 'pg', connection: 'postgres://postgres@127.0.0.1:1/unused', migrations: { directory: ${migrations} } },\n  production: { client: 'pg', connection: ${JSON.stringify(url)}, migrations: { directory: ${migrations} } },\n};\n`,
  );
  return { ...project, knexfile: join(project.dir, 'knexfile.js') };
}

test('production: Upgrade is enabled only once the database name is typed exactly', async ({ page, database, webMode, saveScreen }) => {
  test.slow(); // every plan dialog dry-runs the sample project first (a scratch copy for its non-transactional step)
  const project = productionProject(database.url);
  try {
    const knexfile = project.knexfile;
    const server = await webMode(['--knexfile', knexfile, '--env', 'production']);
    await openApp(page, server);
    const app = new AppPage(page);
    await expect(app.statusBar).toContainText(/production/i);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('production');
    await expect(app.timeline.options).toHaveCount(14);

    await app.button('Upgrade').click();
    const action = app.plan.action('Upgrade 14 migrations');
    const confirmation = app.plan.confirmation(database.name);
    await expect(action).toBeVisible();
    await expect(confirmation).toBeVisible();
    // Disabled for want of the name, not only while the dry run checks the plan.
    await app.plan.waitForDryRun();
    await expect(action).toBeDisabled();
    await saveScreen('plan-production-untyped');

    // Anything but the exact name keeps the button disabled.
    for (const wrong of [database.name.slice(0, -1), database.name.toUpperCase(), `${database.name}x`, 'production']) {
      await confirmation.fill(wrong);
      await expect(action).toBeDisabled();
    }
    await saveScreen('plan-production-wrong-name');
    expect(await ledger(database.url)).toEqual([]);

    await confirmation.fill(database.name);
    await expect(action).toBeEnabled({ timeout: 45_000 });
    await saveScreen('plan-production-typed');
    await action.click();
    await app.run.expectDone();
    await saveScreen('run-production-done');
    await app.run.close();
    await app.waitIdle();
    await expect(app.timeline.options.filter({ hasText: /./ })).toHaveCount(14);
    await expect.poll(async () => (await app.timeline.rows()).every((r) => r.state === 'applied')).toBe(true);
    expect(await ledger(database.url)).toHaveLength(14);
    // Production always backs up first.
    await expect(app.tab('Backups')).toContainText('1');
  } finally {
    project.cleanup();
  }
});

// Issue 11: after confirming a production upgrade, the next rollback opened with the name already
// typed and its red button enabled. Every opening of a plan or restore dialog starts empty.
test('production: every plan and restore dialog opens with an empty confirmation, one after another', async ({ page, database, webMode, saveScreen }) => {
  test.slow(); // every plan dialog dry-runs the sample project first (a scratch copy for its non-transactional step)
  const project = productionProject(database.url);
  try {
    const server = await webMode(['--knexfile', project.knexfile, '--env', 'production']);
    await openApp(page, server);
    const app = new AppPage(page);
    await expect(app.timeline.options).toHaveCount(14);
    const confirmation = app.plan.confirmation(database.name);

    // 1. Upgrade, confirmed by name and run.
    await app.button('Upgrade').click();
    await expect(confirmation).toHaveValue('');
    await confirmation.fill(database.name);
    await app.plan.confirm('Upgrade 14 migrations');
    await app.run.expectDone();
    await app.run.close();
    await app.waitIdle();
    expect(await ledger(database.url)).toHaveLength(14);

    // 2. Rollback: empty and disabled until typed; typed then cancelled, it opens empty again.
    await app.button('Rollback').click();
    await expect(app.plan.action('Roll back 14 migrations')).toBeVisible();
    await expect(confirmation).toHaveValue('');
    await app.plan.waitForDryRun(); // from here on, only the name keeps it disabled
    await expect(app.plan.action('Roll back 14 migrations')).toBeDisabled();
    await saveScreen('rollback-after-confirmed-upgrade');
    await confirmation.fill(database.name);
    await expect(app.plan.action('Roll back 14 migrations')).toBeEnabled({ timeout: 45_000 });
    await app.plan.dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
    await expect(app.plan.dialog).toBeHidden();
    await app.button('Rollback').click();
    await expect(app.plan.action('Roll back 14 migrations')).toBeVisible();
    await expect(confirmation).toHaveValue('');
    await expect(app.plan.action('Roll back 14 migrations')).toBeDisabled();

    // A name typed for one plan does not carry over when the plan changes (Last batch → One step).
    await confirmation.fill(database.name);
    // By keyboard (arrow to the next radio): with 14 steps the mode control is squeezed (issue 11, ui's part).
    await app.plan.dialog.getByRole('radio', { name: 'Last batch' }).focus();
    await page.keyboard.press('ArrowRight');
    await expect(app.plan.dialog.getByRole('radio', { name: 'One step' })).toBeChecked();
    await expect(app.plan.action('Roll back 1 migration')).toBeVisible();
    await expect(confirmation).toHaveValue('');
    await app.plan.waitForDryRun();
    await expect(app.plan.action('Roll back 1 migration')).toBeDisabled();
    await confirmation.fill(database.name);
    await app.plan.confirm('Roll back 1 migration');
    await app.run.expectDone();
    await app.run.close();
    await app.waitIdle();
    expect(await ledger(database.url)).toHaveLength(13);

    // 3. Roll back to here on the 5th: empty and disabled until typed, then it runs.
    const fifth = (await ledger(database.url))[4].name.replace(/\.[a-z]+$/, '');
    await app.timeline.select(fifth);
    await page.getByRole('button', { name: 'Roll back to here', exact: true }).click();
    const toHere = app.plan.action('Roll back 8 migrations');
    await expect(toHere).toBeVisible();
    await expect(confirmation).toHaveValue('');
    await app.plan.waitForDryRun();
    await expect(toHere).toBeDisabled();
    await saveScreen('roll-back-to-here-after-confirmed-rollback');
    await confirmation.fill(database.name);
    await app.plan.confirm('Roll back 8 migrations');
    await app.run.expectDone();
    await app.run.close();
    await app.waitIdle();
    expect(await ledger(database.url)).toHaveLength(5);

    // 4. Restore (production backups are automatic): empty each time it opens.
    await app.showView('Backups');
    const restore = page.getByRole('table').getByRole('row').nth(1).getByRole('button', { name: /^Restore/ });
    const restoreDialog = page.getByRole('dialog', { name: `Restore ${database.name}?` });
    const restoreConfirmation = restoreDialog.getByRole('textbox', { name: `Type ${database.name} to confirm` });
    for (let opening = 0; opening < 2; opening += 1) {
      await restore.click();
      await expect(restoreConfirmation).toHaveValue('');
      await expect(restoreDialog.getByRole('button', { name: 'Restore', exact: true })).toBeDisabled();
      await restoreConfirmation.fill(database.name);
      await expect(restoreDialog.getByRole('button', { name: 'Restore', exact: true })).toBeEnabled();
      await restoreDialog.getByRole('button', { name: 'Cancel', exact: true }).click();
      await expect(restoreDialog).toBeHidden();
    }
    expect(await ledger(database.url)).toHaveLength(5);
  } finally {
    project.cleanup();
  }
});
