// Any window size: at 1024×700 and 1440×900 every timeline row shows its migration name, every action
// button is inside the window, the connection name is never cut (a long head is cut in the middle
// instead); below ~1,200 px the detail is a drawer and the connections list can fold away; in the
// rollback plan with many steps only the steps list scrolls.
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { test, expect, openApp, ROOT } from './fixtures';
import { AppPage } from './pages/app-page';

const LONG_HEAD = '20250422160437_index_chat_messages_user_id_created_at_concurrently.ts';

/** Every visible button inside `scope` lies within the window. */
async function expectButtonsInWindow(page: Page, scope: Locator, atLeastOne = true): Promise<void> {
  const { width, height } = page.viewportSize()!;
  const boxes = await scope.locator('button:visible').evaluateAll((buttons) =>
    buttons.map((b) => {
      const r = b.getBoundingClientRect();
      return { name: b.getAttribute('aria-label') ?? b.textContent?.trim() ?? '', left: r.left, right: r.right, top: r.top, bottom: r.bottom };
    }),
  );
  if (atLeastOne) expect(boxes.length).toBeGreaterThan(0);
  for (const box of boxes) {
    // Rows scrolled below the fold are out of view by design; anything within the window's height must fit its width.
    if (box.top >= height) continue;
    expect.soft(box.left, `"${box.name}" starts inside the window`).toBeGreaterThanOrEqual(0);
    expect.soft(box.right, `"${box.name}" ends inside the window (${width} px)`).toBeLessThanOrEqual(width);
    expect.soft(box.bottom, `"${box.name}" is above the window's bottom`).toBeLessThanOrEqual(height);
  }
}

/** Every timeline row's name has a readable width inside the window. */
async function expectRowNamesVisible(page: Page): Promise<void> {
  const { width } = page.viewportSize()!;
  const names = await page.getByRole('listbox', { name: 'Migrations' }).locator('.tl-name').evaluateAll((els) =>
    els.map((el) => ({ text: el.textContent ?? '', width: el.getBoundingClientRect().width, right: el.getBoundingClientRect().right })),
  );
  expect(names.length).toBeGreaterThan(0);
  for (const n of names) {
    expect.soft(n.width, `${n.text} has room`).toBeGreaterThan(120);
    expect.soft(n.right, `${n.text} ends inside the window`).toBeLessThanOrEqual(width);
  }
}

/** The header's connection name shows whole (no overflow, no ellipsis). */
async function expectConnectionNameWhole(page: Page): Promise<void> {
  const heading = page.getByRole('heading', { level: 1 });
  const cut = await heading.evaluate((el) => el.scrollWidth > el.clientWidth + 1 || getComputedStyle(el).textOverflow === 'ellipsis');
  expect(cut).toBe(false);
}

for (const [width, height] of [
  [1024, 700],
  [1440, 900],
] as const) {
  test(`at ${width}×${height}: names visible, actions inside the window, connection name whole`, async ({ page, database, webMode, saveScreen }) => {
    test.setTimeout(120_000);
    await page.setViewportSize({ width, height });
    const server = await webMode(['--db', database.url, '--migrations', join(ROOT, 'migrations')]);
    await openApp(page, server);
    const app = new AppPage(page);
    await app.timeline.select(LONG_HEAD);
    await page.getByRole('button', { name: 'Upgrade to here' }).click();
    await app.plan.confirm('Upgrade 12 migrations');
    await app.run.expectDone();
    await app.run.close();
    await app.waitIdle();

    await app.timeline.select(LONG_HEAD);
    const detail = page.getByRole('complementary', { name: 'Migration detail' });
    await expect(detail).toBeVisible();
    await expectRowNamesVisible(page);
    await expectConnectionNameWhole(page);
    await expectButtonsInWindow(page, page.locator('header.header'));
    await expectButtonsInWindow(page, detail);
    await expectButtonsInWindow(page, app.statusBar, false);
    // The head is cut in the middle: its start and its end both show.
    const head = page.locator('.header-head');
    await expect(head).toContainText('20250422');
    await expect(head).toContainText('concurrently.ts');
    await saveScreen(`timeline-${width}`);

    const narrow = width < 1200;
    await expect(page.locator('.detail-drawer')).toHaveCount(narrow ? 1 : 0);
    if (narrow) {
      // The drawer closes (the selection stays) and the connections list folds away for more room.
      await detail.getByRole('button', { name: 'Close details' }).click();
      await expect(detail).toBeHidden();
      const before = await app.timeline.list.evaluate((el) => el.getBoundingClientRect().width);
      await page.getByRole('button', { name: 'Hide connections' }).click();
      await expect(page.getByRole('navigation', { name: 'Connections' })).toHaveCount(0);
      expect(await app.timeline.list.evaluate((el) => el.getBoundingClientRect().width)).toBeGreaterThan(before + 150);
      await expectRowNamesVisible(page);
      await page.getByRole('button', { name: 'Show connections' }).click();
      await expect(page.getByRole('navigation', { name: 'Connections' })).toBeVisible();
    }

    await app.showView('Backups');
    await expect(page.getByRole('table').getByRole('row')).toHaveCount(2);
    await expectButtonsInWindow(page, page.getByRole('region', { name: 'Backups' }));
    await saveScreen(`backups-${width}`);

    await app.showView('History');
    // The history is read when the view opens: its rows (and their buttons) come with the answer.
    await expect(app.history.entry('upgrade', 'succeeded')).toHaveCount(1);
    await expectButtonsInWindow(page, app.history.region);

    // The rollback plan with many steps: the mode switch keeps its size; only the steps list scrolls.
    await app.showView('Timeline');
    await app.button('Rollback').click();
    await app.plan.dialog.locator('label.segment', { hasText: 'All' }).click();
    await expect(app.plan.action('Roll back 12 migrations')).toBeVisible();
    const modes = app.plan.dialog.getByRole('group', { name: 'Roll back' });
    expect((await modes.boundingBox())!.height).toBeGreaterThanOrEqual(24);
    const steps = app.plan.steps();
    const modesBox = (await modes.boundingBox())!;
    expect(modesBox.y + modesBox.height).toBeLessThanOrEqual((await steps.boundingBox())!.y);
    // Thirteen steps do not fit: the list scrolls itself.
    expect(await steps.evaluate((el) => el.scrollHeight > el.clientHeight && getComputedStyle(el).overflowY === 'auto')).toBe(true);
    await expectButtonsInWindow(page, app.plan.dialog);
    await saveScreen(`rollback-plan-${width}`);
  });
}

// The upgrade plan under many lint warnings: the warnings are one line each in their own scroll region,
// so the steps list and the primary button stay in view; a line expands to its full card.
for (const [width, height] of [
  [1024, 700],
  [1440, 900],
] as const) {
  test(`at ${width}×${height}: the plan's warnings are compact, its first step and primary button in view`, async ({ page, database, webMode, saveScreen }) => {
    test.setTimeout(120_000);
    await page.setViewportSize({ width, height });
    const server = await webMode(['--db', database.url, '--migrations', join(ROOT, 'migrations')]);
    await openApp(page, server);
    const app = new AppPage(page);
    await app.timeline.select('20250304102451_create_calibration_logs.ts');
    await page.getByRole('button', { name: 'Upgrade to here' }).click();
    await app.plan.confirm('Upgrade 5 migrations');
    await app.run.expectDone();
    await app.run.close();
    await app.waitIdle();

    await app.button('Upgrade').click();
    await app.plan.waitForDryRun();
    const tick = app.plan.dialog.getByRole('checkbox', { name: /^I have read these \d+ warnings$/ });
    await expect(tick).toBeVisible({ timeout: 60_000 });
    const count = Number((await tick.evaluate((el) => el.closest('label')!.textContent ?? '')).match(/\d+/)![0]);
    expect(count).toBeGreaterThanOrEqual(6);

    // The first step and the primary button are inside the window without scrolling the dialog.
    const firstStep = app.plan.migrationSteps().first();
    await expect(firstStep).toBeInViewport();
    const firstBox = (await firstStep.boundingBox())!;
    expect(firstBox.y + firstBox.height).toBeLessThanOrEqual(height);
    const action = app.plan.action('Upgrade 9 migrations');
    await expect(action).toBeInViewport();
    await expect(tick).toBeInViewport();

    // One line per rule and table: a repeated rule is one line naming its statements; it opens to every card.
    const lines = app.plan.warnings.getByRole('button', { expanded: false });
    expect(await lines.count()).toBeLessThan(count);
    const grouped = app.plan.warnings.getByRole('listitem').filter({ hasText: /\d+ statements/ }).first();
    await expect(grouped.getByText('Show in the SQL')).toHaveCount(0);
    await grouped.getByRole('button').first().click();
    await expect(grouped.getByRole('button', { expanded: true })).toBeVisible();
    expect(await grouped.getByRole('button', { name: 'Show in the SQL' }).count()).toBeGreaterThan(1);
    await expect(grouped).toContainText('Statement');
    await grouped.getByRole('button', { expanded: true }).click();

    await expect(action).toBeDisabled();
    await app.plan.tickWarnings();
    await expect(action).toBeEnabled();
    await saveScreen(`plan-warnings-${width}`);
    await app.plan.dialog.getByRole('button', { name: 'Cancel' }).click();
  });
}
