// `node bench/trace-timeline.mjs [loads] [out-dir]`: where a 10,000-migration timeline's first row
// spends its time. Same fixture as bench/timeline.mjs; each load is traced with Chromium's tracing
// (with its JS sampling profiler), and the page's requests, the renderer main thread's tasks over
// 10 ms and the probe's marks are printed in order, in ms since navigation start; the traces are
// kept in out-dir (default: a temporary folder, printed) for Chromium's performance panel.
// TRACE_SERVER_PROF=<dir> also writes web mode's own CPU profile there (node --cpu-prof).
// A profiling aid, not a benchmark: no targets, and tracing itself slows the page down.
import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { chromium } from '@playwright/test';
import { buildWeb, ensureRenderer } from '../scripts/web.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const COUNT = 10_000;
const LOADS = Number(process.argv[2] ?? 3);
const outDir = process.argv[3] ?? mkdtempSync(join(tmpdir(), 'stepstone-traces-'));
const serverUrl = process.env.STEPSTONE_TEST_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const nameOf = (i) => `2025${String(i).padStart(10, '0')}_step_${i}.js`;

async function withClient(url, fn) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
const urlFor = (database) => Object.assign(new URL(serverUrl), { pathname: `/${database}` }).toString();

function startWebMode(args) {
  const child = fork(join(root, 'e2e', 'web-mode-launcher.cjs'), args, { cwd: root, execArgv: process.env.TRACE_SERVER_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.TRACE_SERVER_PROF}`] : [], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (c) => {
      out += c;
      const m = out.match(/(http:\/\/127\.0\.0\.1:\d+)\/\?token=(\S+)/);
      if (m) resolve({ child, loginUrl: `${m[1]}/?token=${m[2]}` });
    });
    child.once('exit', (code) => reject(new Error(`web mode exited (${code})`)));
  });
}

const probe = () => {
  const marks = { firstRow: null, firstListed: null, ready: null };
  window.__timelineMarks = marks;
  // Told by a console message: a polling waitForFunction would run Playwright's injected script in the page while it loads.
  const done = () => { if (marks.firstRow > 0 && marks.ready !== null) console.debug(`stepstone-marks ${JSON.stringify(marks)}`); };
  const painted = (key) => {
    marks[key] = -1;
    performance.mark(`probe:${key}:dom`);
    requestAnimationFrame(() => requestAnimationFrame(() => { marks[key] = performance.now(); performance.mark(`probe:${key}:painted`); done(); }));
  };
  const check = () => {
    if (marks.firstListed === null && document.querySelector('[role="listbox"] [role="option"][aria-disabled="true"]')) painted('firstListed');
    if (marks.firstRow === null && document.querySelector('[role="listbox"] [role="option"]:not([aria-disabled="true"])')) painted('firstRow');
    if (marks.ready === null && document.body?.dataset.ready === 'true') { marks.ready = performance.now(); performance.mark('probe:ready'); done(); }
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-ready', 'aria-disabled'] });
};

/** The load's requests, the renderer main thread's tasks over 10 ms (with their larger parts) and the marks, in order. */
function summarise(trace) {
  const events = trace.traceEvents ?? trace;
  const marks = events.filter((e) => e.name?.startsWith('probe:'));
  const pid = marks[0]?.pid;
  const main = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === pid && e.args.name === 'CrRendererMain');
  const t0 = events.find((e) => e.name === 'navigationStart' && e.pid === pid)?.ts;
  if (pid === undefined || !main || t0 === undefined) return '  (no page events in this trace)';
  const lines = [];
  const ids = new Map();
  for (const e of events) {
    const data = e.args?.data;
    if (e.name?.startsWith('probe:')) lines.push([e.ts, `mark     ${e.name.slice('probe:'.length)}`]);
    else if (e.name === 'ResourceSendRequest') {
      ids.set(data.requestId, new URL(data.url).pathname);
      lines.push([e.ts, `request  ${new URL(data.url).pathname}`]);
    } else if (e.name === 'ResourceFinish' && ids.has(data.requestId)) lines.push([e.ts, `received ${ids.get(data.requestId)} (${data.encodedDataLength ?? '?'} B)`]);
  }
  const own = events.filter((e) => e.pid === pid && e.tid === main.tid && e.ph === 'X' && e.ts >= t0);
  for (const task of own.filter((e) => (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') && e.dur >= 10_000)) {
    const parts = own
      .filter((e) => e !== task && e.ts >= task.ts && e.ts + e.dur <= task.ts + task.dur && e.dur >= 0.25 * task.dur && !e.name.includes('RunTask'))
      .slice(0, 4)
      .map((e) => `${e.name} ${(e.dur / 1000).toFixed(0)}`);
    lines.push([task.ts, `task     ${(task.dur / 1000).toFixed(1)} ms: ${parts.join(' > ')}`]);
  }
  return lines
    .sort((a, b) => a[0] - b[0])
    .map(([ts, text]) => `  ${((ts - t0) / 1000).toFixed(1).padStart(7)}  ${text}`)
    .join('\n');
}

const work = mkdtempSync(join(tmpdir(), 'stepstone-trace-timeline-'));
const migrations = join(work, 'migrations');
const database = `st_trace_timeline_${randomBytes(4).toString('hex')}`;
let server = null;
let browser = null;
try {
  mkdirSync(migrations);
  for (let i = 0; i < COUNT; i += 1) writeFileSync(join(migrations, nameOf(i)), 'exports.up = async () => {};\nexports.down = async () => {};\n');
  await withClient(serverUrl, (c) => c.query(`create database "${database}"`));
  const dbUrl = urlFor(database);
  await withClient(dbUrl, async (c) => {
    await c.query('create table knex_migrations (id serial primary key, name varchar(255), batch integer, migration_time timestamptz)');
    await c.query('create table knex_migrations_lock (index serial primary key, is_locked integer)');
    await c.query('insert into knex_migrations_lock (is_locked) values (0)');
    await c.query(
      `insert into knex_migrations (name, batch, migration_time)
       select '2025' || lpad(i::text, 10, '0') || '_step_' || i || '.js', 1 + i / 500, now() - interval '1 hour' + (i / 500) * interval '1 second'
         from generate_series(0, $1::int - 1) as i order by i`,
      [COUNT / 2],
    );
  });
  ensureRenderer();
  await buildWeb();
  server = await startWebMode(['--db', dbUrl, '--migrations', migrations, '--home', join(work, 'home')]);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  for (let i = 0; i < LOADS; i += 1) {
    const context = await browser.newContext({ viewport: { width: 1360, height: 860 } });
    const page = await context.newPage();
    await page.addInitScript(probe);
    const traceFile = join(work, `trace-${i}.json`);
    await browser.startTracing(page, { path: traceFile, categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink.user_timing', 'loading', 'blink', 'v8', 'disabled-by-default-v8.cpu_profiler'] });
    const marksMessage = page.waitForEvent('console', { predicate: (m) => m.text().startsWith('stepstone-marks '), timeout: 0 });
    await page.goto(server.loginUrl, { timeout: 0 });
    const marks = JSON.parse((await marksMessage).text().slice('stepstone-marks '.length));
    await browser.stopTracing();
    await context.close();
    const out = join(outDir, `trace-${i + 1}.json`);
    writeFileSync(out, readFileSync(traceFile));
    console.log(`\nload ${i + 1}: first row painted ${Math.round(marks.firstRow)} ms, ready ${Math.round(marks.ready)} ms; trace ${out}`);
    console.log(summarise(JSON.parse(readFileSync(out, 'utf8'))));
  }
} finally {
  await browser?.close().catch(() => {});
  if (server) {
    server.child.kill('SIGTERM');
    await new Promise((resolve) => (server.child.exitCode !== null ? resolve() : server.child.once('exit', resolve)));
  }
  await withClient(serverUrl, (c) => c.query(`drop database if exists "${database}" with (force)`)).catch(() => {});
  rmSync(work, { recursive: true, force: true });
}
