// The Chromium switches the e2e tests and the benches share (e2e/chromium-launch.cjs): they keep
// Playwright's own disabled features (Chromium takes only the last --disable-features) and the
// browser opens no UI pages of its own beside the page.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_UI_FEATURES, CHROMIUM_ARGS, PLAYWRIGHT_DISABLED_FEATURES, chromiumExecutable } from '../e2e/chromium-launch.cjs';

/** The features the installed Playwright disables, read from its bundle (its switches are not public API). */
function installedPlaywrightDisabledFeatures(): string[] {
  // The playwright-core that @playwright/test runs (through its `playwright` package).
  const core = createRequire(require.resolve('playwright/package.json')).resolve('playwright-core/package.json');
  const notFound = "playwright-core's disabledFeatures list was not found: read its chromiumSwitches and update e2e/chromium-launch.cjs";
  let bundle: string;
  try {
    bundle = readFileSync(join(dirname(core), 'lib', 'coreBundle.js'), 'utf8');
  } catch (error) {
    throw new Error(`${notFound} (${(error as Error).message})`);
  }
  const list = /disabledFeatures = \[([^\]]*)\]/.exec(bundle)?.[1];
  if (!list) throw new Error(notFound);
  return [...list.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
}

describe('Chromium switches', () => {
  it("carry the installed Playwright's disabled features in their one --disable-features", () => {
    const switches = CHROMIUM_ARGS.filter((a: string) => a.startsWith('--disable-features='));
    expect(switches).toHaveLength(1);
    const ours = switches[0].slice('--disable-features='.length).split(',');
    expect(ours).toEqual(expect.arrayContaining(installedPlaywrightDisabledFeatures()));
    expect(ours).toEqual([...PLAYWRIGHT_DISABLED_FEATURES, ...BROWSER_UI_FEATURES]);
  });

  describe('in a real browser', () => {
    let server: ReturnType<typeof createServer>;
    let url = '';
    beforeAll(async () => {
      server = createServer((_req, res) => res.end('<!doctype html><title>page</title><p>page</p>'));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    /**
     * The browser's targets once a page has loaded (its own UI pages are browser_ui targets), polled
     * until `done` holds or `waitMs` has passed.
     */
    async function targetsWith(args: string[], waitMs: number, done: (targets: { type: string; url: string }[]) => boolean = () => false) {
      const browser = await chromium.launch({ executablePath: chromiumExecutable(), args });
      try {
        const page = await browser.newPage();
        await page.goto(url);
        const cdp = await page.context().newCDPSession(page);
        const until = Date.now() + waitMs;
        for (;;) {
          const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: { type: string; url: string }[] };
          const targets = targetInfos.map(({ type, url: u }) => ({ type, url: u }));
          if (done(targets) || Date.now() >= until) return targets;
          await page.waitForTimeout(100);
        }
      } finally {
        await browser.close();
      }
    }
    const omniboxPages = (targets: { type: string; url: string }[]) => targets.filter((t) => t.type === 'browser_ui' && new URL(t.url).host === 'omnibox-popup.top-chrome');

    it('open the page and nothing of the browser UI', async () => {
      // Without the switches the omnibox pages were there within ~200 ms of the page (next test).
      expect(await targetsWith(CHROMIUM_ARGS, 1_500)).toEqual([{ type: 'page', url }]);
    }, 30_000);

    it('are what keeps the omnibox popup pages away (without them the browser loads them)', async () => {
      const without = CHROMIUM_ARGS.filter((a: string) => !a.startsWith('--disable-features='));
      const targets = await targetsWith(without, 10_000, (t) => omniboxPages(t).length > 0);
      expect(omniboxPages(targets).length).toBeGreaterThan(0);
    }, 30_000);
  });
});
