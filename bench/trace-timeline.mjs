// `node bench/trace-timeline.mjs [loads] [out-dir]`: where a 10,000-migration timeline's first row
// spends its time. Same fixture as bench/timeline.mjs; each load is traced with Chromium's tracing
// (with its JS sampling profiler), and the page's requests, the renderer main thread's tasks over
// 10 ms and the probe's marks are printed in order, in ms since navigation start; the traces are
// kept in out-dir (default: a temporary folder, printed) for Chromium's performance panel.
// TRACE_SERVER_PROF=<dir> also writes web mode's own CPU profile there (node --cpu-prof).
// A profiling aid, not a benchmark: no targets, and tracing itself slows the page down.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTimelineFixture, installProbe, launchChromium, startWebMode, stopWebMode } from './timeline-fixture.mjs';

const LOADS = Number(process.argv[2] ?? 3);
const outDir = process.argv[3] ?? mkdtempSync(join(tmpdir(), 'stepstone-traces-'));
// A folder named on the command line may not exist yet.
mkdirSync(outDir, { recursive: true });

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

let fixture = null;
let server = null;
let browser = null;
try {
  fixture = await createTimelineFixture('trace-timeline');
  const prof = process.env.TRACE_SERVER_PROF;
  server = await startWebMode(fixture.webModeArgs, prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : []);
  browser = await launchChromium();
  for (let i = 0; i < LOADS; i += 1) {
    const context = await browser.newContext({ viewport: { width: 1360, height: 860 } });
    const page = await context.newPage();
    const probe = await installProbe(page);
    const traceFile = join(fixture.work, `trace-${i}.json`);
    await browser.startTracing(page, { path: traceFile, categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink.user_timing', 'loading', 'blink', 'v8', 'disabled-by-default-v8.cpu_profiler'] });
    await page.goto(server.loginUrl, { timeout: 0 });
    const marks = await probe.painted;
    await browser.stopTracing();
    await context.close();
    const out = join(outDir, `trace-${i + 1}.json`);
    copyFileSync(traceFile, out);
    console.log(`\nload ${i + 1}: first row painted ${Math.round(marks.firstRow)} ms, ready ${Math.round(marks.ready)} ms; trace ${out}`);
    console.log(summarise(JSON.parse(readFileSync(out, 'utf8'))));
  }
} finally {
  await browser?.close().catch(() => {});
  if (server) await stopWebMode(server);
  await fixture?.remove();
}
