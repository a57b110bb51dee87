// `npm run bench [name…]`: runs the benchmarks, each measuring its figures against a reference in
// the same run (the knex CLI, pg_dump, pg_restore, the status call), then prints ONE table of every
// figure: value, reference, ratio, target, met or not. Not part of `npm test`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt } from './report.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const benches = {
  engine: 'bench/engine.mjs',
  introspect: 'bench/introspect.ts',
  generate: 'bench/generate.ts',
  backup: 'bench/backup.ts',
  timeline: 'bench/timeline.mjs',
  'timeline-model': 'bench/timeline-model.ts',
  'dry-run': 'bench/dry-run.mjs',
  'first-launch': 'bench/first-launch.mjs',
  safety: 'bench/safety.ts',
};
const chosen = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(benches);
const scratch = mkdtempSync(join(tmpdir(), 'stepstone-bench-'));
const resultsFile = join(scratch, 'results.jsonl');
const failures = [];
for (const name of chosen) {
  const file = benches[name];
  if (!file || !existsSync(join(root, file))) {
    console.error(`No benchmark named ${name} (have: ${Object.keys(benches).join(', ')}).`);
    failures.push(name);
    continue;
  }
  console.log(`\n== ${name} ==  (load average ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
  const args = file.endsWith('.ts') ? [join(root, 'node_modules/tsx/dist/cli.mjs'), file] : [file];
  const res = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env, STEPSTONE_BENCH_RESULTS: resultsFile } });
  if (res.status !== 0) failures.push(name);
}

const figures = existsSync(resultsFile)
  ? readFileSync(resultsFile, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line))
  : [];
rmSync(scratch, { recursive: true, force: true });

const rows = figures.map((f) => [
  f.path,
  `${fmt(f.value)} ${f.unit}`,
  f.reference === null ? '—' : `${fmt(f.reference)} ${f.unit} (${f.referenceName})`,
  f.ratio === null ? '—' : `${f.ratio.toFixed(2)}×`,
  f.target === null ? '—' : f.compare === 'ratio' ? `≤ ${f.target}×` : `≤ ${fmt(f.target)} ${f.unit}`,
  f.met === null ? '—' : f.met ? 'met' : 'NOT MET',
]);
const header = ['path', 'value', 'reference (same run)', 'ratio', 'target', 'met'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
console.log(`\n== Summary (${figures.length} figures; load average now ${loadavg().map((l) => l.toFixed(1)).join(' ')}) ==`);
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));
const missed = figures.filter((f) => f.met === false).length;
console.log(`${figures.filter((f) => f.met === true).length} met, ${missed} not met, ${figures.filter((f) => f.met === null).length} without a target.`);
if (failures.length) console.log(`Benchmarks that failed to run: ${failures.join(', ')}.`);
process.exit(failures.length ? 1 : 0);
