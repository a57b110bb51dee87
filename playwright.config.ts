// Playwright: the UI in Debian's chromium (never a downloaded browser), in two shells:
// - "web": web mode (e2e/*.spec.ts and e2e/shared/);
// - "desktop": the built main bundle on the Electron stand-in (e2e/desktop/ and e2e/shared/).
// `npm test` sets CHROMIUM_PATH and STEPSTONE_TEST_SERVER_URL; `npx playwright test` works alone too.
import { defineConfig, devices } from '@playwright/test';
import type { ShellOption } from './e2e/shells';
import { CHROMIUM_ARGS, chromiumExecutable } from './e2e/chromium-launch.cjs';

process.env.STEPSTONE_TEST_SERVER_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
// Never fetch a browser: the executable below is the only one used.
process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = '1';

export default defineConfig<ShellOption>({
  testDir: 'e2e',
  outputDir: 'test-results',
  globalSetup: './e2e/global-setup.ts',
  workers: 2,
  fullyParallel: true,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    ...devices['Desktop Chrome'],
    viewport: { width: 1360, height: 860 },
    actionTimeout: 10_000,
    navigationTimeout: 20_000,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromiumExecutable(),
      args: CHROMIUM_ARGS,
    },
  },
  projects: [
    { name: 'web', testIgnore: /[\\/]e2e[\\/]desktop[\\/]/, use: { shell: 'web' } },
    {
      name: 'desktop',
      // Each test starts the main process and, for the UI, the embedded demo's PGlite: slower on a busy machine.
      timeout: 120_000,
      testMatch: /[\\/]e2e[\\/](desktop|shared)[\\/].*\.spec\.ts$/,
      use: {
        shell: 'desktop',
        // Electron gives file:// pages the right to load their own module scripts (GrantFileProtocolExtraPrivileges).
        launchOptions: { executablePath: chromiumExecutable(), args: [...CHROMIUM_ARGS, '--allow-file-access-from-files'] },
      },
    },
  ],
});
