// A crowded status bar: a real interrupted migration (the CLI SIGKILLed during CREATE INDEX
// CONCURRENTLY), the stale lock it leaves, and a column added by hand (drift) all show at once. At
// 1024×700 and 1440×900 the actions — Unlock, the theme switch and the keyboard help — stay inside
// the window and answer clicks; the warnings stay in the bar (cut short, never pushed out) and keep
// their full wording in their accessible names and tooltips.
import type { Locator, Page } from '@playwright/test';
import { test, expect, openApp, waitForReady } from './fixtures';
import { query } from '../test/database';
import { AppPage } from './pages/app-page';
import { backendRunning, concurrentIndexProject, interruptIndexBuild, until } from './interrupted-cli';


/** The element's box lies wholly inside the page's viewport (measured, not scrolled into view first). */
async function expectInViewport(page: Page, element: Locator, what: string): Promise<void> {
  const { width, height } = page.viewportSize()!;
  const box = await element.boundingBox();
  expect(box, `${what} is rendered`).not.toBeNull();
  expect.soft(box!.width, `${what} has a width`).toBeGreaterThan(8);
  expect.soft(box!.x, `${what} starts inside the window`).toBeGreaterThanOrEqual(0);
  expect.soft(box!.x + box!.width, `${what} ends inside the window (${width} px)`).toBeLessThanOrEqual(width);
  expect.soft(box!.y, `${what} starts inside the window`).toBeGreaterThanOrEqual(0);
  expect.soft(box!.y + box!.height, `${what} ends inside the window (${height} px)`).toBeLessThanOrEqual(height);
  // Nothing covers it: the element itself is what the middle of its box hits.
  const hit = await element.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return top !== null && (top === el || el.contains(top));
  });
  expect.soft(hit, `${what} is not covered`).toBe(true);
}

test('drift, a stale lock and an interrupted migration at once: Unlock, the theme switch and the keyboard help stay in the window', async ({
  page,
  database,
  home,
  webMode,
  saveScreen,
}) => {
  test.slow();
  const p = concurrentIndexProject('crowded-status');
  try {
    // The interruption: an upgrade killed while its CREATE INDEX CONCURRENTLY waits behind an open transaction.
    const hold = await interruptIndexBuild(database.url, p.migrations, home);
    const backend = await until('the build to wait', () => backendRunning(database.url, 'create index concurrently%'));
    await query(database.url, 'select pg_terminate_backend($1)', [backend]);
    await until('the build to end', async () => (await backendRunning(database.url, 'create index concurrently%')) === null);
    await hold.commit();
    // The killed CLI left knex's lock row set with nobody holding it (set again in case it did not).
    await query(database.url, 'update knex_migrations_lock set is_locked = 1');
    // A change by hand: drift.
    await query(database.url, "alter table things add column nickname text not null default 'x'");

    await page.setViewportSize({ width: 1024, height: 700 });
    const server = await webMode(['--db', database.url, '--migrations', p.migrations]);
    await openApp(page, server);
    const app = new AppPage(page);
    const bar = app.statusBar;
    const drift = bar.getByRole('button', { name: /^Drift: / });
    const interrupted = bar.getByRole('button', { name: /1 interrupted migration: repair/ });
    const unlock = bar.getByRole('button', { name: 'Unlock', exact: true });
    const theme = bar.getByRole('combobox', { name: 'Theme' });
    const shortcuts = bar.getByRole('button', { name: 'Keyboard shortcuts' });
    await expect(interrupted).toHaveCount(1);
    await expect(drift).toHaveCount(1);
    await expect(bar).toContainText('Locked (stale: left by a crash)');
    await expect(unlock).toHaveCount(1);

    for (const [width, height] of [
      [1024, 700],
      [1440, 900],
    ] as const) {
      await page.setViewportSize({ width, height });
      await page.reload();
      await waitForReady(page);
      await expect(drift).toHaveCount(1);
      await expect(unlock).toHaveCount(1);
      // The bar itself never scrolls sideways to make room.
      expect(await bar.evaluate((el) => el.scrollLeft)).toBe(0);
      await saveScreen(`status-bar-crowded-${width}`);
      await expectInViewport(page, unlock, `Unlock at ${width}`);
      await expectInViewport(page, theme, `the theme switch at ${width}`);
      await expectInViewport(page, shortcuts, `the keyboard help at ${width}`);
      // The warnings stay reachable too, with their full wording.
      await expectInViewport(page, drift, `the drift warning at ${width}`);
      await expectInViewport(page, interrupted, `the interrupted warning at ${width}`);
      await expect(drift).toHaveAccessibleName(/^Drift: \d+ changes? outside migrations$/);
      expect(test.info().errors, 'all actions are inside the window').toHaveLength(0);

      // And they answer clicks where they are.
      await unlock.click();
      const confirm = page.getByRole('dialog', { name: 'Release the stale lock?' });
      await expect(confirm).toBeVisible();
      await confirm.getByRole('button', { name: 'Cancel' }).click();
      await expect(confirm).toBeHidden();
      await theme.selectOption('dark');
      await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
      await saveScreen(`status-bar-crowded-${width}-dark`);
      await theme.selectOption('light');
      await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
      await shortcuts.click();
      const help = page.getByRole('dialog', { name: /Keyboard shortcuts/ });
      await expect(help).toBeVisible();
      await page.keyboard.press('Escape');
      await expect(help).toBeHidden();
      // Nothing scrolled the bar to reach them.
      expect(await bar.evaluate((el) => el.scrollLeft)).toBe(0);
    }
  } finally {
    p.cleanup();
  }
});
