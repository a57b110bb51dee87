/**
 * `npx tsx bench/timeline-model.ts`: how long the renderer's buildTimeline takes for 10,000 migrations
 * (6,000 applied, 4,000 pending, no history), against the structured clone of the status it is
 * built from (what receiving that status costs the page), both timed in the same run. It also checks
 * the result: one row per migration plus the divider. (Moved from a vitest case that measured no time.)
 */
import { performance } from 'node:perf_hooks';
import type { MigrationStatus } from '../src/shared/contract';
import { buildTimeline } from '../src/renderer/store/timeline-model';
import { median, record } from './report.mjs';

const COUNT = 10_000;
const APPLIED = 6_000;
const RUNS = 7;

const names = Array.from({ length: COUNT }, (_, i) => `${String(20250101000000 + i)}_m${i}.ts`);
const status: MigrationStatus = {
  applied: names.slice(0, APPLIED).map((name, i) => ({ id: i + 1, name, batch: 1, appliedAt: new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString(), recordedChecksum: null, durationMs: null, appliedBy: null, missing: false, edited: false })),
  pending: names.slice(APPLIED).map((name) => ({ name, path: name, outOfOrder: false })),
  missing: [], edited: [], outOfOrder: [], unchecked: [], lock: { locked: false, state: 'free', holders: [] },
  head: names[APPLIED - 1], lastBatch: 1, ledgerExists: true, serverVersion: '15', database: 'db',
};

const timed = (fn: () => unknown) => {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
};

const rows = buildTimeline(status, []).rows.length;
if (rows !== COUNT + 1) throw new Error(`buildTimeline gave ${rows} rows for ${COUNT} migrations, expected ${COUNT + 1} (one per migration and the divider).`);

const ours: number[] = [];
const reference: number[] = [];
for (let i = 0; i < RUNS; i++) {
  reference.push(timed(() => structuredClone(status)));
  ours.push(timed(() => buildTimeline(status, [])));
}
record({ path: 'timeline model, 10,000 migrations (6,000 applied)', value: median(ours), reference: median(reference), referenceName: 'structured clone of the status', unit: 'ms', compare: 'none', target: null, note: `median of ${RUNS}` });
