// The embedded demo: web mode with nothing but a data folder opens PGlite with the sample
// migrations, and Upgrade works on it.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, ROOT } from './fixtures';
import { AppPage } from './pages/app-page';

const SAMPLE = readdirSync(join(ROOT, 'migrations')).filter((f) => /\.(ts|js|cjs|mjs)$/.test(f)).sort();

test('the embedded demo opens with no server configured and upgrades', async ({ page, webMode, saveScreen }) => {
  test.setTimeout(120_000);
  const server = await webMode([]);
  // A first launch: the embedded database takes seconds to start, and the timeline does not wait
  // for it: the folder's files are listed first, then their states fill in.
  await page.goto(server.loginUrl);
  const app = new AppPage(page);
  await app.timeline.expectStates(SAMPLE.map((name) => ({ name, state: 'state not read yet' })));
  await expect(page.getByRole('status').filter({ hasText: 'Reading the database…' })).toBeVisible();
  // initdb of a new embedded cluster: seconds on a quiet machine, far more on a busy one.
  await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 50_000 });
  await expect(page.getByRole('button', { name: /Demo \(embedded\)/ })).toHaveAttribute('aria-current', 'true');
  await app.timeline.expectStates(SAMPLE.map((name) => ({ name, state: 'pending' })));
  await saveScreen('demo-pending');

  await app.upgradeAll(SAMPLE.length);
  await app.waitIdle();
  await app.timeline.expectStates(SAMPLE.map((name) => ({ name, state: 'applied' })));
  await expect(app.timeline.row(SAMPLE.at(-1)!)).toHaveAccessibleName(/, batch 1, head/);
  await saveScreen('demo-applied');

  await app.showView('History');
  await expect(app.history.entry('upgrade', 'succeeded')).toHaveCount(1);
  await saveScreen('demo-history');
});
