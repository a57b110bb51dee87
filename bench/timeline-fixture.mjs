// The 10,000-migration timeline fixture shared by bench/timeline.mjs (the figures) and
// bench/trace-timeline.mjs (the profile behind them): the folder and ledger, web mode on them,
// Chromium, and the page probe that reports when the first row is painted.
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { chromium } from '@playwright/test';
import { buildWeb, ensureRenderer } from '../scripts/web.mjs';
import { databaseUrl, withClient } from './database.mjs';
import { CHROMIUM_ARGS, chromiumExecutable } from '../e2e/chromium-launch.cjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const COUNT = 10_000;
export const APPLIED = COUNT / 2;
const serverUrl = process.env.STEPSTONE_TEST_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const nameOf = (i) => `2025${String(i).padStart(10, '0')}_step_${i}.js`;

/**
 * A fresh database whose ledger says the first half of `count` (10,000) trivial migration files are
 * applied (rows inserted directly, batches of 500 one second apart, in file order), and the folder.
 */
export async function createTimelineFixture(label, count = COUNT) {
  const work = mkdtempSync(join(tmpdir(), `stepstone-${label}-`));
  const migrations = join(work, 'migrations');
  const database = `st_${label.replace(/\W/g, '_')}_${randomBytes(4).toString('hex')}`;
  mkdirSync(migrations);
  for (let i = 0; i < count; i += 1) writeFileSync(join(migrations, nameOf(i)), 'exports.up = async () => {};\nexports.down = async () => {};\n');
  await withClient(serverUrl, (c) => c.query(`create database "${database}"`));
  const dbUrl = databaseUrl(serverUrl, database);
  await withClient(dbUrl, async (c) => {
    await c.query('create table knex_migrations (id serial primary key, name varchar(255), batch integer, migration_time timestamptz)');
    await c.query('create table knex_migrations_lock (index serial primary key, is_locked integer)');
    await c.query('insert into knex_migrations_lock (is_locked) values (0)');
    await c.query(
      `insert into knex_migrations (name, batch, migration_time)
       select '2025' || lpad(i::text, 10, '0') || '_step_' || i || '.js', 1 + i / 500, now() - interval '1 hour' + (i / 500) * interval '1 second'
         from generate_series(0, $1::int - 1) as i order by i`,
      [Math.floor(count / 2)],
    );
  });
  return {
    work,
    dbUrl,
    webModeArgs: ['--db', dbUrl, '--migrations', migrations, '--home', join(work, 'home')],
    async remove() {
      await withClient(serverUrl, (c) => c.query(`drop database if exists "${database}" with (force)`)).catch((e) => process.stderr.write(`Could not drop ${database}: ${e.message}\n`));
      rmSync(work, { recursive: true, force: true });
    },
  };
}

/** Build what web mode serves, start the bundled web mode (as `npm run web` does) and resolve with its URL. */
export async function startWebMode(args, execArgv = []) {
  ensureRenderer();
  await buildWeb();
  const child = fork(join(root, 'e2e', 'web-mode-launcher.cjs'), args, { cwd: root, execArgv, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  let out = '';
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (c) => (err += c));
  // No time limit: a busy machine may be slow to start it; it fails only when web mode exits.
  return new Promise((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (c) => {
      out += c;
      const m = out.match(/(http:\/\/127\.0\.0\.1:\d+)\/\?token=(\S+)/);
      if (m) resolve({ child, origin: m[1], token: m[2], loginUrl: `${m[1]}/?token=${m[2]}` });
    });
    child.once('exit', (code) => reject(new Error(`web mode exited (${code}): ${err}`)));
  });
}

/** Stop web mode and wait for it to exit. */
export async function stopWebMode(server) {
  server.child.kill('SIGTERM');
  await new Promise((resolve) => (server.child.exitCode !== null ? resolve() : server.child.once('exit', resolve)));
}

/**
 * A page with no code of its own to load: its inline script adds one listbox option and raises the
 * ready flag once the document is parsed. What the probe measures on it is Chromium's own cost of a
 * navigation to a painted row on this machine, under the same load as the app's.
 */
export async function startCodeFreePage() {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>no code</title></head><body><script>
addEventListener('DOMContentLoaded', () => {
  const list = document.createElement('div');
  list.setAttribute('role', 'listbox');
  list.innerHTML = '<div role="option">20250000000000_step_0.js</div>';
  document.body.append(list);
  document.body.dataset.ready = 'true';
});
</script></body></html>`;
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(html);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((resolve) => server.close(resolve)) };
}

export function launchChromium() {
  return chromium.launch({
    executablePath: chromiumExecutable(),
    args: CHROMIUM_ARGS,
  });
}

/**
 * In the page, before any script: when the first option with its state is painted (the frame after
 * it is in the DOM; folder-listing rows are aria-disabled until the status is in), when the first
 * listing row is, and when the app raises its ready flag, in ms since navigation start (also as
 * performance marks, for traces). Told by a console message (installProbe): a polling waitForFunction
 * ran Playwright's injected script on the page's main thread (35-57 ms) while it was still loading.
 */
const probe = () => {
  const marks = { firstRow: null, firstListed: null, ready: null };
  const done = () => {
    if (marks.firstRow > 0 && marks.ready !== null) console.debug(`stepstone-marks ${JSON.stringify(marks)}`);
  };
  const painted = (key) => {
    marks[key] = -1;
    performance.mark(`probe:${key}:dom`);
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        marks[key] = performance.now();
        performance.mark(`probe:${key}:painted`);
        done();
      }),
    );
  };
  const check = () => {
    if (marks.firstListed === null && document.querySelector('[role="listbox"] [role="option"][aria-disabled="true"]')) painted('firstListed');
    if (marks.firstRow === null && document.querySelector('[role="listbox"] [role="option"]:not([aria-disabled="true"])')) painted('firstRow');
    if (marks.ready === null && document.body?.dataset.ready === 'true') {
      marks.ready = performance.now();
      performance.mark('probe:ready');
      done();
    }
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-ready', 'aria-disabled'] });
};

/** Put the probe in `page` (before it navigates); `painted` resolves with its marks once the first row is painted and the app is ready. */
export async function installProbe(page) {
  await page.addInitScript(probe);
  const message = page.waitForEvent('console', { predicate: (m) => m.text().startsWith('stepstone-marks '), timeout: 0 });
  return { painted: message.then((m) => JSON.parse(m.text().slice('stepstone-marks '.length))) };
}
