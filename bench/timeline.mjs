// `node bench/timeline.mjs`: how fast the timeline paints with 10,000 migrations, and whether the
// web-mode server's memory holds still over repeated loads.
// A fresh database whose ledger says half of 10,000 trivial migration files are applied (rows
// inserted directly), web mode on it, headless Debian chromium. For 5 page loads (each a fresh
// browser context) it measures, from the start of navigation, when the first row with its state
// (applied or pending) is painted, when the folder listing's first row is painted, and when the
// app says its data is ready; the reference is the server's own `migrations:status` call, timed
// alone in the same run. Targets: first row <= status call + 250 ms, and <= 600 ms. Then it loads the
// view 20 more times and compares the server's RSS after the first and the last load.
import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { chromium } from '@playwright/test';
import { buildWeb, ensureRenderer } from '../scripts/web.mjs';
import { record } from './report.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const COUNT = 10_000;
const APPLIED = COUNT / 2;
const LOADS = Number(process.env.BENCH_LOADS ?? 5);
const MEMORY_LOADS = Number(process.env.BENCH_MEMORY_LOADS ?? 20);
const TARGET_MS = 600;
const OVER_STATUS_MS = 250;
const serverUrl = process.env.STEPSTONE_TEST_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const nameOf = (i) => `2025${String(i).padStart(10, '0')}_step_${i}.js`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n) => n.toLocaleString('en-US');

async function withClient(url, fn) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function urlFor(database) {
  const u = new URL(serverUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Start the bundled web mode and resolve with its printed URL. */
function startWebMode(args) {
  const child = fork(join(root, 'e2e', 'web-mode-launcher.cjs'), args, {
    cwd: root,
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
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

// In the page, before any script: note when the first option with its state is painted (the
// frame after it is in the DOM; folder-listing rows are aria-disabled until the status is in),
// when the first listing row is, and when the app raises its ready flag, in ms since navigation start.
const probe = () => {
  const marks = { firstRow: null, firstListed: null, ready: null };
  window.__timelineMarks = marks;
  // The bench hears of the marks by a console message: a polling waitForFunction ran Playwright's
  // injected script in the page (~40-60 ms of its main thread) while the page was still loading.
  const done = () => {
    if (marks.firstRow > 0 && marks.ready !== null) console.debug(`stepstone-marks ${JSON.stringify(marks)}`);
  };
  const painted = (key) => {
    marks[key] = -1;
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        marks[key] = performance.now();
        done();
      }),
    );
  };
  const check = () => {
    if (marks.firstListed === null && document.querySelector('[role="listbox"] [role="option"][aria-disabled="true"]')) painted('firstListed');
    if (marks.firstRow === null && document.querySelector('[role="listbox"] [role="option"]:not([aria-disabled="true"])')) painted('firstRow');
    if (marks.ready === null && document.body?.dataset.ready === 'true') {
      marks.ready = performance.now();
      done();
    }
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-ready', 'aria-disabled'] });
};

const work = mkdtempSync(join(tmpdir(), 'stepstone-bench-timeline-'));
const migrations = join(work, 'migrations');
const home = join(work, 'home');
const database = `st_bench_timeline_${randomBytes(4).toString('hex')}`;
let server = null;
let browser = null;
try {
  process.stderr.write(`Preparing ${fmt(COUNT)} migration files and a ledger with ${fmt(APPLIED)} applied…\n`);
  mkdirSync(migrations);
  for (let i = 0; i < COUNT; i += 1) {
    writeFileSync(join(migrations, nameOf(i)), 'exports.up = async () => {};\nexports.down = async () => {};\n');
  }
  await withClient(serverUrl, (c) => c.query(`create database "${database}"`));
  const dbUrl = urlFor(database);
  await withClient(dbUrl, async (c) => {
    await c.query('create table knex_migrations (id serial primary key, name varchar(255), batch integer, migration_time timestamptz)');
    await c.query('create table knex_migrations_lock (index serial primary key, is_locked integer)');
    await c.query('insert into knex_migrations_lock (is_locked) values (0)');
    // Ten batches of 500, one second apart, in file order.
    await c.query(
      `insert into knex_migrations (name, batch, migration_time)
       select '2025' || lpad(i::text, 10, '0') || '_step_' || i || '.js', 1 + i / 500, now() - interval '1 hour' + (i / 500) * interval '1 second'
         from generate_series(0, $1::int - 1) as i order by i`,
      [APPLIED],
    );
  });

  ensureRenderer();
  await buildWeb();
  server = await startWebMode(['--db', dbUrl, '--migrations', migrations, '--home', home]);

  // Reference: the status call alone (server: read 10,000 files and the ledger), median of 5.
  const statusTimes = [];
  for (let i = 0; i < LOADS; i += 1) {
    const t0 = performance.now();
    const res = await fetch(`${server.origin}/api/migrations:status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
      body: JSON.stringify({ profileId: 'command-line' }),
    });
    const body = await res.json();
    statusTimes.push(performance.now() - t0);
    if (!body.ok) throw new Error(`migrations:status failed: ${body.error.message}`);
    if (body.value.applied.length !== APPLIED || body.value.pending.length !== COUNT - APPLIED) {
      throw new Error(`unexpected status: ${body.value.applied.length} applied, ${body.value.pending.length} pending`);
    }
  }

  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const firstRow = [];
  const firstListed = [];
  const ready = [];
  const statusCalls = [];
  let rendered = 0;
  // The server's memory after a full GC (heap) and as the OS sees it (RSS), after each load.
  const memory = () =>
    new Promise((resolve) => {
      server.child.once('message', (m) => resolve({ heap: m.heapUsed / 1048576, rss: m.rss / 1048576 }));
      server.child.send('memory');
    });
  const rss = [];
  const heap = [];
  for (let i = 0; i < LOADS + MEMORY_LOADS; i += 1) {
    const context = await browser.newContext({ viewport: { width: 1360, height: 860 } });
    const page = await context.newPage();
    let calls = 0;
    page.on('request', (r) => {
      if (r.url().endsWith('/api/migrations:status')) calls += 1;
    });
    await page.addInitScript(probe);
    // No time limits (0): on a loaded machine a load may take long; the bench measures, it does not judge.
    const marksMessage = page.waitForEvent('console', { predicate: (m) => m.text().startsWith('stepstone-marks '), timeout: 0 });
    await page.goto(server.loginUrl, { timeout: 0 });
    const marks = JSON.parse((await marksMessage).text().slice('stepstone-marks '.length));
    // Let the deferred calls (history, backups, drift) finish before counting status calls and closing.
    await page.waitForLoadState('networkidle', { timeout: 0 });
    if (i < LOADS) {
      rendered = await page.locator('[role="listbox"] [role="option"]').count();
      firstRow.push(marks.firstRow);
      if (marks.firstListed > 0) firstListed.push(marks.firstListed);
      ready.push(marks.ready);
    }
    statusCalls.push(calls);
    await context.close();
    const m = await memory();
    rss.push(m.rss);
    heap.push(m.heap);
  }

  const paint = median(firstRow);
  const status = median(statusTimes);
  console.log(`  first row with its state, per load: ${firstRow.map((t) => Math.round(t)).join(', ')} ms; ready: ${ready.map((t) => Math.round(t)).join(', ')} ms`);
  console.log(`  folder-listing rows painted first in ${firstListed.length} of ${LOADS} loads${firstListed.length ? ` (median ${Math.round(median(firstListed))} ms)` : ''}; ${rendered} of ${fmt(COUNT)} rows in the DOM (virtualised)`);
  console.log(`  migrations:status calls per load: ${[...new Set(statusCalls)].join(', ')}`);
  console.log(`  server after loads 1, ${LOADS}, ${LOADS + MEMORY_LOADS}: RSS ${[rss[0], rss[LOADS - 1], rss.at(-1)].map((m) => m.toFixed(0)).join(', ')} MiB; heap after GC ${[heap[0], heap[LOADS - 1], heap.at(-1)].map((m) => m.toFixed(1)).join(', ')} MiB`);
  record({ path: 'timeline, 10,000 migrations: first row painted', value: paint, reference: status, referenceName: 'the status call alone', unit: 'ms', compare: 'value', target: status + OVER_STATUS_MS, note: 'target: status call + 250 ms' });
  record({ path: 'timeline, 10,000 migrations: first row painted (absolute)', value: paint, reference: null, referenceName: '', unit: 'ms', compare: 'value', target: TARGET_MS, note: 'median of 5' });
  record({ path: 'timeline: migrations:status calls per view load', value: Math.max(...statusCalls), reference: null, referenceName: '', unit: 'calls', compare: 'value', target: 1 });
  record({ path: `web server heap after GC, after ${LOADS + MEMORY_LOADS} timeline loads`, value: heap.at(-1), reference: heap[0], referenceName: 'after the first load', unit: 'MiB', compare: 'ratio', target: 1.1 });
  record({ path: `web server RSS after ${LOADS + MEMORY_LOADS} timeline loads`, value: rss.at(-1), reference: rss[0], referenceName: 'after the first load', unit: 'MiB', compare: 'none', target: null });
} finally {
  await browser?.close().catch(() => {});
  if (server) {
    server.child.kill('SIGTERM');
    await new Promise((resolve) => (server.child.exitCode !== null ? resolve() : server.child.once('exit', resolve)));
  }
  await withClient(serverUrl, (c) => c.query(`drop database if exists "${database}" with (force)`)).catch((e) => process.stderr.write(`Could not drop ${database}: ${e.message}\n`));
  rmSync(work, { recursive: true, force: true });
}
