// bench/first-launch: `npm start` (node scripts/start.mjs) with an empty data folder, as a first
// launch is: no Electron binary here, so it serves web mode on the embedded demo database, whose
// PGlite cluster is created on the spot. Headless Debian chromium opens the printed URL. Measured
// per launch (median of 3, each with a new empty folder): when the timeline lists the demo's
// migrations from the folder (target ≤ 1 s after the page starts loading: the listing needs no
// database), and when their applied state is filled in (PGlite answered; no target, stated). The
// renderer is built first, untimed (a build step, not the first launch).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { ensureRenderer } from '../scripts/web.mjs';
import { median, record } from './report.mjs';
import { CHROMIUM_ARGS, chromiumExecutable } from '../e2e/chromium-launch.cjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const LAUNCHES = Number(process.env.BENCH_LAUNCHES ?? 3);

const probe = () => {
  const marks = { firstListed: null, firstRow: null };
  window.__marks = marks;
  const painted = (key) => {
    marks[key] = -1;
    requestAnimationFrame(() => requestAnimationFrame(() => (marks[key] = performance.now())));
  };
  const check = () => {
    if (marks.firstListed === null && document.querySelector('[role="listbox"] [role="option"][aria-disabled="true"]')) painted('firstListed');
    if (marks.firstRow === null && document.querySelector('[role="listbox"] [role="option"]:not([aria-disabled="true"])')) painted('firstRow');
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-disabled'] });
};

/**
 * Start `npm start` and resolve with its printed URL. No fixed time limit: a busy machine may take
 * minutes (the bench measures, it does not judge); it fails only when the app exits first, saying
 * what it printed.
 */
function startApp(home) {
  const started = performance.now();
  const child = spawn(process.execPath, [join(root, 'scripts', 'start.mjs'), '--home', home], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DISPLAY: '' } });
  let out = '';
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (c) => (err += c));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(`npm start exited (${signal ?? code}) before the page was done: ${err || out}`)));
  const url = new Promise((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (c) => {
      out += c;
      const m = out.match(/(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/);
      if (m) resolve({ child, url: m[1], urlAfter: performance.now() - started, started, exited });
    });
    void exited.then((message) => reject(new Error(message)));
  });
  return url;
}

/** Wait for `promise`, failing at once with the app's own words if it exits meanwhile. */
async function whileRunning(app, promise) {
  return Promise.race([promise, app.exited.then((message) => Promise.reject(new Error(message)))]);
}

ensureRenderer();
const browser = await chromium.launch({
  executablePath: chromiumExecutable(),
  args: CHROMIUM_ARGS,
});
const listed = [];
const filled = [];
const total = [];
const urlAt = [];
try {
  for (let i = 0; i < LAUNCHES; i++) {
    const home = mkdtempSync(join(tmpdir(), 'stepstone-first-launch-'));
    const app = await startApp(home);
    try {
      const context = await browser.newContext({ viewport: { width: 1360, height: 860 } });
      const page = await context.newPage();
      await page.addInitScript(probe);
      const navigated = performance.now() - app.started;
      // No time limit (0): under load PGlite's first start can take minutes; the app exiting is the failure.
      await whileRunning(app, page.goto(app.url, { timeout: 0 }));
      await whileRunning(app, page.waitForFunction(() => window.__marks?.firstRow > 0, null, { timeout: 0, polling: 100 }));
      const marks = await page.evaluate(() => window.__marks);
      urlAt.push(app.urlAfter);
      listed.push(marks.firstListed > 0 ? marks.firstListed : marks.firstRow);
      filled.push(marks.firstRow);
      total.push(navigated + marks.firstRow);
      console.log(`launch ${i + 1}: URL printed after ${Math.round(app.urlAfter)} ms; from the page's start: files listed ${Math.round(listed.at(-1))} ms, applied state ${Math.round(marks.firstRow)} ms; launch to applied state ${Math.round(total.at(-1))} ms`);
      await context.close();
    } finally {
      app.child.kill('SIGTERM');
      await new Promise((resolve) => (app.child.exitCode !== null ? resolve() : app.child.once('exit', resolve)));
      rmSync(home, { recursive: true, force: true });
    }
  }
} finally {
  await browser.close();
}
record({ path: 'first launch (empty data folder): migrations listed', value: median(listed), reference: null, referenceName: '', unit: 'ms', compare: 'value', target: 1000, note: 'from the page starting to load' });
record({ path: 'first launch: applied state filled in (PGlite created)', value: median(filled), reference: null, referenceName: '', unit: 'ms', compare: 'none', target: null, note: 'from the page starting to load' });
record({ path: 'first launch: npm start to applied state, in all', value: median(total), reference: median(urlAt), referenceName: 'URL printed', unit: 'ms', compare: 'none', target: null });
