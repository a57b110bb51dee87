// Keyboard and first run: Tab reaches the timeline in a few stops (a skip link first; the connections
// list is one stop and each row's Edit/Duplicate/Delete one more, moved through with arrow keys, not
// three stops a row); the shortcuts sheet is one click away; a System/Light/Dark theme switch; a first
// run opens on the demo with a welcome that says what Stepstone is and offers Add connection and Open project….
import { test, expect, openApp } from './fixtures';
import { AppPage } from './pages/app-page';
import { createTableMigration, makeProject } from './temp-project';

test('first run: a welcome over the demo; Add connection and Open project… from it; closed for good', async ({ page, webMode }) => {
  const server = await webMode([]);
  // The welcome shows as soon as the demo is the connection opened (its database may still be starting).
  await page.goto(server.loginUrl);
  const welcome = page.getByRole('region', { name: 'Welcome' });
  await expect(welcome).toContainText('Welcome to Stepstone', { timeout: 30_000 });
  await expect(welcome).toContainText('Knex migrations on PostgreSQL');
  await expect(welcome).toContainText('This is the demo');
  await welcome.getByRole('button', { name: 'Add connection', exact: true }).click();
  await expect(page.getByRole('dialog', { name: 'Add connection' })).toBeVisible();
  await page.getByRole('dialog', { name: 'Add connection' }).getByRole('button', { name: 'Cancel', exact: true }).click();
  await welcome.getByRole('button', { name: 'Open project…', exact: true }).click();
  await expect(page.getByRole('dialog', { name: 'Open project' })).toBeVisible();
  await page.keyboard.press('Escape');
  await welcome.getByRole('button', { name: 'Explore the demo', exact: true }).click();
  await expect(welcome).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Demo', { timeout: 30_000 });
  await expect(page.getByRole('region', { name: 'Welcome' })).toHaveCount(0);
});

test('Tab reaches the timeline in a few stops; connection actions are one roving group; ? and the theme switch', async ({ page, database, webMode, saveScreen }) => {
  const project = makeProject('keyboard', [createTableMigration('20250101000001_create_alpha.js', 'alpha')]);
  try {
    const server = await webMode(['--db', database.url, '--migrations', project.migrations]);
    await openApp(page, server);
    const app = new AppPage(page);
    // Six saved connections: the number of Tab stops must not grow with them.
    for (let i = 1; i <= 6; i++) {
      await app.addConnectionButton.click();
      const form = page.getByRole('dialog', { name: 'Add connection' });
      await form.getByLabel('Name', { exact: true }).fill(`Saved ${i}`);
      await form.getByLabel('Host', { exact: true }).fill('127.0.0.1');
      await form.getByLabel('Database', { exact: true }).fill(`db${i}`);
      await form.getByLabel('Migrations folder', { exact: true }).fill(project.migrations);
      await form.getByRole('button', { name: 'Save', exact: true }).click();
      await expect(form).toBeHidden();
    }

    // The skip link is the first stop and lands on the timeline.
    // A fresh page: the keyboard starts at the top of the document.
    const fromTheTop = async () => {
      await page.reload();
      await app.waitIdle();
    };
    await fromTheTop();
    await page.keyboard.press('Tab');
    await expect(page.getByRole('button', { name: 'Skip to the migrations' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(app.timeline.list).toBeFocused();

    // Without it, plain Tab gets there in a fixed, small number of stops.
    await fromTheTop();
    let stops = 0;
    while (stops < 40 && !(await app.timeline.list.evaluate((el) => el === document.activeElement))) {
      await page.keyboard.press('Tab');
      stops++;
    }
    test.info().annotations.push({ type: 'tab stops to the timeline', description: String(stops) });
    expect(stops).toBeLessThanOrEqual(20);

    // The list is one stop: ↓ moves between connections; a row's actions are one more, ←/→ inside.
    const saved1 = page.getByRole('button', { name: /^Saved 1/ });
    await saved1.focus();
    await page.keyboard.press('ArrowDown');
    await expect(page.getByRole('button', { name: /^Saved 2/ })).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(page.getByRole('button', { name: 'Edit Saved 2' })).toBeFocused();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByRole('button', { name: 'Duplicate Saved 2' })).toBeFocused();
    await page.keyboard.press('Tab');
    // Past the row's group at once: no stop on Delete, nor on other rows' actions.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? '')).not.toMatch(/^(Edit|Duplicate|Delete) /);

    // The shortcuts sheet, from the UI.
    await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
    const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(sheet).toContainText('Filter the timeline');
    await page.keyboard.press('Escape');
    await expect(sheet).toBeHidden();

    // Theme: Dark and Light pin it whatever the OS says; System follows the OS.
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.emulateMedia({ colorScheme: 'light' });
    const theme = page.getByRole('combobox', { name: 'Theme' });
    await theme.selectOption('dark');
    expect(await background()).toBe('rgb(13, 17, 23)');
    await saveScreen('theme-dark');
    await theme.selectOption('light');
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await background()).toBe('rgb(255, 255, 255)');
    await theme.selectOption('system');
    expect(await background()).toBe('rgb(13, 17, 23)');
    await page.reload();
    await expect(page.getByRole('combobox', { name: 'Theme' })).toHaveValue('system');
  } finally {
    project.cleanup();
  }
});
