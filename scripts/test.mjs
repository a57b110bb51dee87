// `npm test`: every test, on a fresh machine too. Finds (or starts) PostgreSQL and says which,
// makes sure Debian's chromium is there for the browser tests, runs vitest (engine, CLI, service,
// web, main, renderer store, the packaging smoke) and Playwright (the UI in a real browser, against
// web mode and on the desktop harness), then prints one closing line "N passed, N failed".
import { spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPostgresServer } from '../test/postgres-server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv[2]; // optional: "unit" or "e2e"

function which(cmd) {
  try {
    return execFileSync('which', [cmd], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

function ensureChromium() {
  const found = process.env.CHROMIUM_PATH || which('chromium') || which('chromium-browser');
  if (found) return found;
  if (process.getuid?.() === 0 && which('apt-get')) {
    console.log('Installing Debian chromium for the browser tests (apt-get install -y chromium)…');
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    const res = spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (res.status === 0) return which('chromium');
  }
  throw new Error('The browser tests need Chromium: install it (Debian: `apt-get install -y chromium`) or set CHROMIUM_PATH.');
}

function run(cmd, args, env) {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  return spawnSync(cmd, args, { stdio: 'inherit', cwd: root, env: { ...process.env, ...env } }).status ?? 1;
}

function counts(file, kind) {
  if (!existsSync(file)) return null;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  if (kind === 'vitest') {
    // A file that failed to load has no failed test but a failed suite: count it.
    const failed = Math.max(report.numFailedTests ?? 0, report.numFailedTestSuites ?? 0);
    return { passed: report.numPassedTests ?? 0, failed, skipped: report.numPendingTests ?? 0 };
  }
  const s = report.stats ?? {};
  return { passed: (s.expected ?? 0) + (s.flaky ?? 0), failed: s.unexpected ?? 0, skipped: s.skipped ?? 0 };
}

const server = await findPostgresServer();
console.log(`PostgreSQL for tests: ${server.description}`);
const reports = mkdtempSync(join(tmpdir(), 'stepstone-reports-'));
const env = { STEPSTONE_TEST_SERVER_URL: server.url };
let status = 0;
const totals = { passed: 0, failed: 0, skipped: 0 };
try {
  if (only !== 'e2e') {
    const vitestJson = join(reports, 'vitest.json');
    status |= run(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`], env);
    const c = counts(vitestJson, 'vitest');
    if (c) for (const k of Object.keys(totals)) totals[k] += c[k];
    else status |= 1;
  }
  if (only !== 'unit') {
    env.CHROMIUM_PATH = ensureChromium();
    status |= run(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], env);
    const pwJson = join(reports, 'playwright.json');
    status |= run(process.execPath, [join(root, 'node_modules/@playwright/test/cli.js'), 'test', '--reporter=list,json'], { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson });
    const c = counts(pwJson, 'playwright');
    if (c) for (const k of Object.keys(totals)) totals[k] += c[k];
    else status |= 1;
  }
} finally {
  server.stop();
}
if (status !== 0 && totals.failed === 0) totals.failed = 1; // a runner that crashed counts as a failure
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(status === 0 ? 0 : 1);
