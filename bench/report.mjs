// One place where benchmarks record their figures. Each bench calls `record(...)` per figure: it
// prints a line now and, under `npm run bench` (bench/run.mjs sets STEPSTONE_BENCH_RESULTS), appends
// the figure to a JSON-lines file that run.mjs turns into the closing summary table.
import { appendFileSync } from 'node:fs';

/**
 * @typedef {object} Figure
 * @property {string} path       what was measured, e.g. "status, 10,000 files, none applied"
 * @property {number} value      our figure (ms, MiB…)
 * @property {number|null} reference  the reference figure measured in the same run (null when none)
 * @property {string} referenceName  what the reference is, e.g. "knex migrate:list"
 * @property {string} unit       "ms", "MiB"…
 * @property {'ratio'|'value'|'none'} compare  what the target bounds: value/reference, the value itself, or nothing
 * @property {number|null} target upper bound for the compared quantity (null: reported, no target)
 * @property {string} [note]     a short remark (e.g. "runs: 5, medians")
 */

/** Record one figure (see Figure); returns whether it met its target (true when it has none). */
export function record(figure) {
  const ratio = figure.reference ? figure.value / figure.reference : null;
  const compared = figure.compare === 'ratio' ? ratio : figure.compare === 'value' ? figure.value : null;
  const met = figure.target === null || compared === null ? null : compared <= figure.target;
  const full = { ...figure, ratio, met };
  const ref = figure.reference === null ? '' : ` vs ${figure.referenceName} ${fmt(figure.reference)} ${figure.unit}`;
  const r = ratio === null ? '' : `, ratio ${ratio.toFixed(2)}`;
  const t = figure.target === null ? '' : ` (target ${figure.compare === 'ratio' ? '≤ ' + figure.target + '×' : '≤ ' + fmt(figure.target) + ' ' + figure.unit})`;
  console.log(`${figure.path}: ${fmt(figure.value)} ${figure.unit}${ref}${r}${t}${met === null ? '' : met ? ' met' : ' NOT MET'}`);
  if (process.env.STEPSTONE_BENCH_RESULTS) appendFileSync(process.env.STEPSTONE_BENCH_RESULTS, `${JSON.stringify(full)}\n`);
  return met ?? true;
}

export function fmt(n) {
  return n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(n >= 10 ? 1 : 2);
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
