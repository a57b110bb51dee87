// Finding and reading: the timeline's filter box (`/` focuses it) narrows by name, state and batch;
// "Head" and "First pending" jump there; every row has its full name as a tooltip; history events
// in the listbox are (disabled) options; the detail header wraps a long name and copies it.
import { join } from 'node:path';
import { test, expect, openApp, ROOT } from './fixtures';
import { AppPage } from './pages/app-page';

const HEAD = '20250304102451_create_calibration_logs.ts';
const FIRST_PENDING = '20250305140210_create_scale_templates.ts';
const LONG = '20250422160437_index_chat_messages_user_id_created_at_concurrently.ts';

test('filter, jump to head and first pending, full names, events as options, Copy name', async ({ page, context, database, webMode }) => {
  test.slow();
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const server = await webMode(['--db', database.url, '--migrations', join(ROOT, 'migrations')]);
  await openApp(page, server);
  const app = new AppPage(page);
  await app.timeline.select(HEAD);
  await page.getByRole('button', { name: 'Upgrade to here' }).click();
  await app.plan.confirmWithoutWaiting('Upgrade 5 migrations');
  await app.run.expectDone();
  await app.run.close();
  await app.waitIdle();
  // A rollback and a re-upgrade leave an event on the timeline.
  await app.button('Rollback').click();
  await app.plan.confirmWithoutWaiting('Roll back 5 migrations');
  await app.run.expectDone();
  await app.run.close();
  await app.waitIdle();
  await app.timeline.select(HEAD);
  await page.getByRole('button', { name: 'Upgrade to here' }).click();
  await app.plan.confirmWithoutWaiting('Upgrade 5 migrations');
  await app.run.expectDone();
  await app.run.close();
  await app.waitIdle();

  // Events are options too (disabled), read out with what happened.
  await expect(app.timeline.events).toHaveCount(1);
  await expect(app.timeline.events.first()).toHaveAttribute('aria-disabled', 'true');
  await expect(app.timeline.events.first()).toHaveAccessibleName(/^Rolled back: Rolled back 5 migrations/);
  await expect(app.timeline.options).toHaveCount(14);

  // `/` focuses the filter.
  await app.timeline.list.focus();
  await page.keyboard.press('/');
  await expect(app.timeline.filter).toBeFocused();
  await page.keyboard.type('chat');
  await expect.poll(async () => (await app.timeline.rows()).map((r) => r.name)).toEqual([
    '20250303092047_create_chat_sessions.ts',
    '20250303093318_create_chat_messages.ts',
    LONG,
    '20250506092219_add_archived_at_to_chat_sessions.ts',
    '20250520143851_add_token_count_check_to_chat_messages.ts',
  ]);
  await expect(page.getByText('5 of 14', { exact: true })).toBeVisible();
  await app.timeline.filter.fill('chat applied');
  await expect.poll(async () => (await app.timeline.rows()).map((r) => r.name)).toEqual(['20250303092047_create_chat_sessions.ts', '20250303093318_create_chat_messages.ts']);
  await app.timeline.filter.fill('batch:1');
  await expect.poll(async () => (await app.timeline.rows()).every((r) => r.batch === 1)).toBe(true);
  await expect(app.timeline.options).toHaveCount(5);
  await app.timeline.filter.fill('pending');
  await expect(app.timeline.options).toHaveCount(9);
  await app.timeline.filter.fill('nothing matches this');
  await expect(app.timeline.list).toHaveCount(0);
  await expect(page.getByText('No migration matches')).toBeVisible();
  await app.timeline.filter.press('Escape');
  await expect(app.timeline.options).toHaveCount(14);

  // Jumps select the row (and clear a filter hiding it).
  await app.timeline.filter.fill('users');
  await page.getByRole('button', { name: 'First pending', exact: true }).click();
  await expect(app.timeline.row(FIRST_PENDING)).toHaveAttribute('aria-selected', 'true');
  await expect(app.timeline.filter).toHaveValue('');
  await page.getByRole('button', { name: 'Head', exact: true }).click();
  await expect(app.timeline.row(HEAD)).toHaveAttribute('aria-selected', 'true');
  await expect(app.timeline.row(HEAD)).toBeInViewport();

  // Every row carries its full name as a tooltip.
  const titles = await app.timeline.list.locator('.tl-name').evaluateAll((els) => els.map((el) => [el.getAttribute('title'), el.textContent]));
  expect(titles.length).toBeGreaterThan(0);
  for (const [title, text] of titles) expect(title).toBe(text);

  // The detail header shows the whole long name (wrapped) and copies it.
  await app.timeline.select(LONG);
  const heading = page.getByRole('complementary', { name: 'Migration detail' }).getByRole('heading', { level: 2 });
  await expect(heading).toHaveText(LONG);
  expect(await heading.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
  // It may wrap between its words (after an underscore), not inside one.
  expect(await heading.locator('wbr').count()).toBe(LONG.split('_').length - 2);
  await page.getByRole('button', { name: 'Copy name', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Copied', exact: true })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(LONG);
});
