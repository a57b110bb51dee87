// How this project starts Chromium, for the e2e tests (playwright.config.ts), the benches that load
// pages (bench/) and test/chromium-launch.test.ts: which executable, and the switches it is given.
// Debian's chromium is the full browser run headless;
// these turn off what it does for itself beside the page, which on a two-core machine competes
// with the page for the same cores: the sandbox (the container has none to give), the GPU, QUIC,
// first-run, background network and component-update work, sync, and the browser's own UI pages.

/**
 * Chromium honours only the last --disable-features it is given, and Playwright passes its own
 * list before the caller's switches: a list here replaces Playwright's, so it carries it (as of
 * playwright-core 1.65; test/chromium-launch.test.ts fails when the installed Playwright's differs).
 */
const PLAYWRIGHT_DISABLED_FEATURES = [
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'TcpPortRandomizationWin',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
  'msForceBrowserSignIn',
  'msEdgeUpdateLaunchServicesPreferredVersion',
];

/**
 * The omnibox popup's two WebUI pages, which the full browser loads with each window (two
 * renderer processes, 170-210 ms of CPU during each page load on this machine) although a headless
 * browser shows no omnibox. Playwright's own headless shell has no browser UI at all.
 */
const BROWSER_UI_FEATURES = ['WebUIOmniboxPopup', 'WebUIOmniboxAimPopup'];

/** The Chromium to start: CHROMIUM_PATH (`npm test` sets it from what it finds), else Debian's. */
exports.chromiumExecutable = () => process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

exports.PLAYWRIGHT_DISABLED_FEATURES = PLAYWRIGHT_DISABLED_FEATURES;
exports.BROWSER_UI_FEATURES = BROWSER_UI_FEATURES;
exports.CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  `--disable-features=${[...PLAYWRIGHT_DISABLED_FEATURES, ...BROWSER_UI_FEATURES].join(',')}`,
];
