/**
 * One user path, two shells: specs in e2e/shared/ run in the "web" project (web mode in the
 * browser) and in the "desktop" project (the built main bundle, preload and renderer on the
 * Electron stand-in). They open the app with `stepstone.open()` and then use the page objects of
 * e2e/pages/ alone, so a path is written once.
 */
import type { Page } from '@playwright/test';
import { test as desktopTest, expect, waitForApp } from './desktop/fixtures';
import type { DesktopApp } from './desktop/desktop-app';

export type ShellName = 'web' | 'desktop';

/** The Playwright option each project sets. */
export interface ShellOption {
  shell: ShellName;
}

/** The app as a shared spec sees it. */
export interface OpenedApp {
  shell: ShellName;
  page: Page;
  /** Only in the desktop shell: the harness's levers and records. */
  desktop?: DesktopApp;
}

export interface ShellFixtures {
  stepstone: {
    shell: ShellName;
    /**
     * Start the app with this test's empty data folder; unless `ready: false`, wait until it has
     * read the opened profile's status.
     */
    open(options?: { ready?: boolean }): Promise<OpenedApp>;
  };
}

export const test = desktopTest.extend<ShellOption & ShellFixtures>({
  shell: ['web', { option: true }],
  stepstone: async ({ shell, page, webMode, desktop }, use) => {
    await use({
      shell,
      async open({ ready = true } = {}) {
        if (shell === 'web') {
          const server = await webMode([]);
          await page.goto(server.loginUrl);
          if (ready) await waitForApp(page);
          return { shell, page };
        }
        const app = await desktop();
        if (ready) await waitForApp(app.page);
        return { shell, page: app.page, desktop: app };
      },
    });
  },
});

export { expect };
