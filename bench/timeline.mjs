// `node bench/timeline.mjs`: how fast the timeline paints with 10,000 migrations, and whether the
// web-mode server's memory holds still over repeated loads.
// A fresh database whose ledger says half of 10,000 trivial migration files are applied (rows
// inserted directly), web mode on it, headless Debian chromium. For 5 page loads (each a fresh
// browser context) it measures, from the start of navigation, when the first row with its state
// (applied or pending) is painted, when the folder listing's first row is painted, and when the
// app says its data is ready; the reference is the server's own `migrations:status` call, timed
// alone in the same run. Targets: first row <= status call + 250 ms, and <= 600 ms. Then it loads the
// view 20 more times and compares the server's RSS after the first and the last load.
// Alternated with those 5 loads, the same probe on two floors, reported without targets: the same
// view on a one-file project (the app's own cost to its first row, with next to no data) and a page
// with no code to load (Chromium's own navigation to a painted row), so a reader sees how much of
// the first row's time the 10,000 migrations account for.
import { APPLIED, COUNT, createTimelineFixture, installProbe, launchChromium, startCodeFreePage, startWebMode, stopWebMode } from './timeline-fixture.mjs';
import { median, record } from './report.mjs';

const LOADS = Number(process.env.BENCH_LOADS ?? 5);
const MEMORY_LOADS = Number(process.env.BENCH_MEMORY_LOADS ?? 20);
const TARGET_MS = 600;
const OVER_STATUS_MS = 250;
const fmt = (n) => n.toLocaleString('en-US');

let fixture = null;
let server = null;
let browser = null;
let small = null;
let smallServer = null;
let codeFree = null;
try {
  process.stderr.write(`Preparing ${fmt(COUNT)} migration files and a ledger with ${fmt(APPLIED)} applied…\n`);
  fixture = await createTimelineFixture('bench-timeline');
  // --expose-gc: the launcher answers 'memory' with the heap after a full collection.
  server = await startWebMode(fixture.webModeArgs, ['--expose-gc']);
  small = await createTimelineFixture('bench-timeline-one', 1);
  smallServer = await startWebMode(small.webModeArgs);
  codeFree = await startCodeFreePage();

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

  browser = await launchChromium();
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
  /**
   * One load of `url` in a fresh context: the probe's marks, the status calls the page made and the
   * options in the list (read before the context closes).
   */
  const load = async (url) => {
    const context = await browser.newContext({ viewport: { width: 1360, height: 860 } });
    const page = await context.newPage();
    let calls = 0;
    page.on('request', (r) => {
      if (r.url().endsWith('/api/migrations:status')) calls += 1;
    });
    const probe = await installProbe(page);
    // No time limits (0): on a loaded machine a load may take long; the bench measures, it does not judge.
    await page.goto(url, { timeout: 0 });
    const marks = await probe.painted;
    // Let the deferred calls (history, backups, drift) finish before counting status calls and closing.
    await page.waitForLoadState('networkidle', { timeout: 0 });
    const options = await page.locator('[role="listbox"] [role="option"]').count();
    await context.close();
    return { marks, calls, options };
  };
  const oneFile = [];
  const noCode = [];
  for (let i = 0; i < LOADS + MEMORY_LOADS; i += 1) {
    if (i < LOADS) {
      oneFile.push((await load(smallServer.loginUrl)).marks.firstRow);
      noCode.push((await load(codeFree.url)).marks.firstRow);
    }
    const { marks, calls, options } = await load(server.loginUrl);
    if (i < LOADS) {
      rendered = options;
      firstRow.push(marks.firstRow);
      if (marks.firstListed > 0) firstListed.push(marks.firstListed);
      ready.push(marks.ready);
    }
    statusCalls.push(calls);
    const m = await memory();
    rss.push(m.rss);
    heap.push(m.heap);
  }

  const paint = median(firstRow);
  const status = median(statusTimes);
  console.log(`  first row with its state, per load: ${firstRow.map((t) => Math.round(t)).join(', ')} ms; ready: ${ready.map((t) => Math.round(t)).join(', ')} ms`);
  console.log(`  folder-listing rows painted first in ${firstListed.length} of ${LOADS} loads${firstListed.length ? ` (median ${Math.round(median(firstListed))} ms)` : ''}; ${rendered} of ${fmt(COUNT)} rows in the DOM (virtualised)`);
  console.log(`  floors, alternated with those loads: one-file project ${oneFile.map((t) => Math.round(t)).join(', ')} ms; page with no code ${noCode.map((t) => Math.round(t)).join(', ')} ms`);
  console.log(`  migrations:status calls per load: ${[...new Set(statusCalls)].join(', ')}`);
  console.log(`  server after loads 1, ${LOADS}, ${LOADS + MEMORY_LOADS}: RSS ${[rss[0], rss[LOADS - 1], rss.at(-1)].map((m) => m.toFixed(0)).join(', ')} MiB; heap after GC ${[heap[0], heap[LOADS - 1], heap.at(-1)].map((m) => m.toFixed(1)).join(', ')} MiB`);
  record({ path: 'timeline, 10,000 migrations: first row painted', value: paint, reference: status, referenceName: 'the status call alone', unit: 'ms', compare: 'value', target: status + OVER_STATUS_MS, note: 'target: status call + 250 ms' });
  record({ path: 'timeline, 10,000 migrations: first row painted (absolute)', value: paint, reference: null, referenceName: '', unit: 'ms', compare: 'value', target: TARGET_MS, note: `median of ${LOADS}` });
  record({ path: 'timeline, 1 migration: first row painted (the app alone)', value: median(oneFile), reference: null, referenceName: '', unit: 'ms', compare: 'none', target: null, note: 'floor: no target' });
  record({ path: 'page with no code: first row painted (Chromium alone)', value: median(noCode), reference: null, referenceName: '', unit: 'ms', compare: 'none', target: null, note: 'floor: no target' });
  record({ path: 'timeline: migrations:status calls per view load', value: Math.max(...statusCalls), reference: null, referenceName: '', unit: 'calls', compare: 'value', target: 1 });
  record({ path: `web server heap after GC, after ${LOADS + MEMORY_LOADS} timeline loads`, value: heap.at(-1), reference: heap[0], referenceName: 'after the first load', unit: 'MiB', compare: 'ratio', target: 1.1 });
  record({ path: `web server RSS after ${LOADS + MEMORY_LOADS} timeline loads`, value: rss.at(-1), reference: rss[0], referenceName: 'after the first load', unit: 'MiB', compare: 'none', target: null });
} finally {
  await browser?.close().catch(() => {});
  if (server) await stopWebMode(server);
  if (smallServer) await stopWebMode(smallServer);
  await codeFree?.close();
  await fixture?.remove();
  await small?.remove();
}
