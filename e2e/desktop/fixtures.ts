/**
 * Fixtures for the desktop harness: `desktop()` launches the app on the Electron stand-in with this
 * test's data folder as userData; the first launch's window is the test's own `page`. Every launch
 * is quit (or killed) after the test.
 */
import type { Page } from '@playwright/test';
import { test as base, expect } from '../fixtures';
import { launchDesktop, type DesktopApp, type LaunchOptions } from './desktop-app';

export interface DesktopFixtures {
  desktop: (options?: Partial<Omit<LaunchOptions, 'context'>>) => Promise<DesktopApp>;
}

export const test = base.extend<DesktopFixtures>({
  desktop: async ({ context, page, home }, use, testInfo) => {
    const launched: DesktopApp[] = [];
    await use(async (options = {}) => {
      const app = await launchDesktop({ context, userData: home, page: launched.length === 0 ? page : undefined, ...options });
      launched.push(app);
      return app;
    });
    for (const app of launched.reverse()) {
      if (testInfo.status !== testInfo.expectedStatus) await testInfo.attach('main-process-output', { body: app.output(), contentType: 'text/plain' });
      await app.close();
    }
  },
});

export { expect };

/**
 * The app-ready signal with room for the embedded demo's first start: PGlite takes 10-20 s on a
 * busy 2-core machine, on top of starting the main process.
 */
export async function waitForApp(page: Page, timeout = 60_000): Promise<void> {
  await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout });
}

/**
 * The window shows the app (connections and views) even before the demo's database answers: for
 * specs that do not need the demo's status, so they do not wait on PGlite's first start.
 */
export async function waitForShell(page: Page): Promise<void> {
  await expect(page.getByRole('navigation', { name: 'Connections' }).getByRole('button', { name: /^Demo \(embedded\)/ })).toBeVisible({ timeout: 30_000 });
}
