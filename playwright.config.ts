// Playwright: the UI in Debian's chromium against web mode (never a downloaded browser).
// `npm test` sets CHROMIUM_PATH and STEPSTONE_TEST_SERVER_URL; `npx playwright test` works alone too.
import { defineConfig, devices } from '@playwright/test';

process.env.STEPSTONE_TEST_SERVER_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
// Never fetch a browser: the executable below is the only one used.
process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = '1';

export default defineConfig({
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
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  projects: [{ name: 'chromium' }],
});
