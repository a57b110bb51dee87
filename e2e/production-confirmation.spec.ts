// A production profile: the plan's primary button stays disabled until the database name is typed
// exactly; then the upgrade runs (with the backup production always takes).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, openApp, ledger, ROOT } from './fixtures';
import { AppPage } from './pages/app-page';

test('production: Upgrade is enabled only once the database name is typed exactly', async ({ page, database, webMode, saveScreen }) => {
  const dir = mkdtempSync(join(tmpdir(), 'stepstone-e2e-prod-'));
  try {
    // A knexfile whose production environment points at the test database and the sample migrations.
    const knexfile = join(dir, 'knexfile.js');
    writeFileSync(
      knexfile,
      `module.exports = {\n  development: { client: 'pg', connection: 'postgres://postgres@127.0.0.1:1/unused', migrations: { directory: ${JSON.stringify(join(ROOT, 'migrations'))} } },\n  production: { client: 'pg', connection: ${JSON.stringify(database.url)}, migrations: { directory: ${JSON.stringify(join(ROOT, 'migrations'))} } },\n};\n`,
    );
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
    await expect(action).toBeEnabled();
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
    rmSync(dir, { recursive: true, force: true });
  }
});
