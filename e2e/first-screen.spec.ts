// The first screen's start-up work that is not the app's own code: Intl's locale data loads in a
// worker started by the page's first script (public/intl-warm-up.js), under the page's CSP, and
// the times the first rows show are formatted as before.
import { test, expect, openApp } from './fixtures';
import { createTableMigration, makeProject } from './temp-project';

test("Intl's locale data loads in a worker the page's first script starts, within the CSP", async ({ page, database, webMode }) => {
  const project = makeProject('first-screen', [createTableMigration('20250101000001_create_alpha.js', 'alpha')]);
  try {
    const server = await webMode(['--db', database.url, '--migrations', project.migrations]);
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    const workers: string[] = [];
    page.on('worker', (worker) => workers.push(new URL(worker.url()).pathname));
    await openApp(page, server);
    expect(await page.evaluate(() => document.documentElement.dataset.intlWarmUp)).toBe('worker');
    expect(workers).toEqual(['/intl-warm-up-worker.js']);
    // The worker says it is done and is ended: the page keeps no idle worker.
    await expect.poll(() => page.workers().length).toBe(0);
    expect(problems).toEqual([]);
    // And the page works as before: its one (pending) migration is listed.
    await expect(page.getByRole('listbox', { name: 'Migrations' }).getByRole('option')).toHaveCount(1);
  } finally {
    project.cleanup();
  }
});

test("the page's font warm-up text is laid out in the app's fonts but never seen, clicked or read", async ({ page, database, webMode }) => {
  const project = makeProject('font-warm-up', [createTableMigration('20250101000001_create_alpha.js', 'alpha')]);
  try {
    const server = await webMode(['--db', database.url, '--migrations', project.migrations]);
    await openApp(page, server);
    await expect(page.getByRole('listbox', { name: 'Migrations' }).getByRole('option')).toHaveCount(1);
    const warmUp = page.locator('.font-warm-up');
    await expect(warmUp).toBeHidden();
    const seen = await warmUp.evaluate((box) => {
      const style = getComputedStyle(box);
      const rect = box.getBoundingClientRect();
      const fontOf = (selector: string) => {
        const s = getComputedStyle(box.querySelector(selector)!);
        return { family: s.fontFamily, weight: s.fontWeight };
      };
      return {
        visibility: style.visibility,
        area: rect.width * rect.height,
        pointerEvents: style.pointerEvents,
        ariaHidden: box.getAttribute('aria-hidden'),
        ui: fontOf('span'),
        uiBold: fontOf('b'),
        mono: fontOf('code'),
        monoSemibold: fontOf('code.w6'),
        app: getComputedStyle(document.querySelector('.app')!).fontFamily,
        names: getComputedStyle(document.querySelector('.tl-name')!).fontFamily,
      };
    });
    expect(seen).toMatchObject({ visibility: 'hidden', area: 0, pointerEvents: 'none', ariaHidden: 'true' });
    // The same stacks as the app's text and the timeline's migration names, in their weights.
    expect(seen.ui.family).toBe(seen.app);
    expect(seen.mono.family).toBe(seen.names);
    expect(seen.mono.family).not.toBe(seen.ui.family);
    expect([seen.ui.weight, seen.uiBold.weight, seen.monoSemibold.weight]).toEqual(['400', '700', '600']);
    // Nothing of it reaches the accessibility tree.
    expect(await page.locator('body').ariaSnapshot()).not.toContain('Hamburgefonstiv');
  } finally {
    project.cleanup();
  }
});
