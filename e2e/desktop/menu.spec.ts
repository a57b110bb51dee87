// The application menu of the built main bundle: its items and accelerators, clicked as a user
// would (by the item, or by the key combination the page leaves unhandled), reach the renderer.
import { AppPage } from '../pages/app-page';
import { test, expect, waitForShell } from './fixtures';

test('the application menu: File and View items and their accelerators drive the renderer', async ({ desktop, home }) => {
  const app = await desktop();
  await waitForShell(app.page);
  const ui = new AppPage(app.page);

  const template = app.menu.template()!;
  const menu = (label: string) => template.find((m) => m.label === label)?.submenu?.filter((i) => i.type !== 'separator').map((i) => `${i.label}${i.accelerator ? ` (${i.accelerator})` : ''}`);
  expect(menu('File')).toEqual(['Open project… (CmdOrCtrl+O)', 'New migration… (CmdOrCtrl+N)', 'Quit (CommandOrControl+Q)']);
  expect(menu('View')).toEqual(expect.arrayContaining(['Timeline (CmdOrCtrl+1)', 'History (CmdOrCtrl+2)', 'Backups (CmdOrCtrl+3)']));
  expect(menu('Help')).toContain('Open data folder');
  // The packaged app has no developer items.
  expect(template.flatMap((m) => m.submenu ?? []).map((i) => i.role)).not.toEqual(expect.arrayContaining(['toggleDevTools']));

  await app.menu.click('View', 'History');
  await expect(ui.tab('History')).toHaveAttribute('aria-selected', 'true');
  expect(await app.menu.press('CmdOrCtrl+3')).toBe('View › Backups');
  await expect(ui.tab('Backups')).toHaveAttribute('aria-selected', 'true');
  expect(await app.menu.press('CmdOrCtrl+1')).toBe('View › Timeline');
  await expect(ui.tab('Timeline')).toHaveAttribute('aria-selected', 'true');

  expect(await app.menu.press('CmdOrCtrl+N')).toBe('File › New migration…');
  const dialog = app.page.getByRole('dialog', { name: 'New migration' });
  await expect(dialog).toBeVisible();
  await app.page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // A key the page handles itself never reaches the menu (Linux and Windows order).
  await app.page.evaluate(() => window.addEventListener('keydown', (e) => e.ctrlKey && e.key === '2' && e.preventDefault()));
  expect(await app.menu.press('CmdOrCtrl+2')).toBeNull();
  await expect(ui.tab('Timeline')).toHaveAttribute('aria-selected', 'true');

  await app.menu.click('Help', 'Open data folder');
  const records = await app.records();
  expect(records.shell).toEqual([{ method: 'openPath', arg: home }]);
  expect(records.menuClicks).toEqual(['View › History', 'View › Backups', 'View › Timeline', 'File › New migration…', 'Help › Open data folder']);
  expect(records.notModelled).toEqual([]);
});
