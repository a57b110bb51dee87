/**
 * A fault-injection run: `trials` trials from `seed` (combinations in turn, parameters from each
 * trial's seed), `jobs` at a time, then one table of counts per scenario × fault × check.
 */
import { seededRandom } from '../fuzz/seeded-random';
import { COMBINATIONS, trialSpec } from './scenarios';
import { CHECKS, type Check, type TrialResult, runTrial } from './trial';
import { createWorld, type Features } from './world';

export interface FaultRunOptions {
  serverUrl: string;
  seed: number;
  trials: number;
  /** Trials at once (each has its own databases and folder). */
  jobs: number;
  /** Only these trial indexes (replaying one). */
  only?: number[];
  /** Database name prefix: unique per run so runs never collide. */
  prefix: string;
  log?: (line: string) => void;
  /** After each trial, with every result so far (to keep a partial table of a long run). */
  onTrial?: (results: TrialResult[]) => void;
}

export interface FaultRunReport {
  seed: number;
  results: TrialResult[];
  features: Features;
  violations: TrialResult[];
  table: string;
  durationMs: number;
}

export async function runFaults(options: FaultRunOptions): Promise<FaultRunReport> {
  const log = options.log ?? (() => {});
  const t0 = Date.now();
  const world = await createWorld(options.serverUrl, options.prefix);
  log(`fault trials: seed ${options.seed}, ${options.only ? `trials ${options.only.join(',')}` : `${options.trials} trials`}, ${options.jobs} at a time; features landed: ${Object.entries(world.features).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  const indexes = options.only ?? Array.from({ length: options.trials }, (_, i) => i);
  const results: TrialResult[] = [];
  try {
    let next = 0;
    const worker = async () => {
      while (next < indexes.length) {
        const index = indexes[next++];
        const spec = trialSpec(options.seed, index, seededRandom, options.prefix);
        const result = await runTrial(world, spec).catch((error: Error): TrialResult => ({
          spec,
          durationMs: 0,
          struck: false,
          phases: {},
          processes: [],
          checks: Object.fromEntries(CHECKS.map((c) => [c, { verdict: 'violated', note: `the trial itself failed: ${error.stack ?? error.message}` }])) as TrialResult['checks'],
        }));
        results.push(result);
        options.onTrial?.(results);
        const broken = CHECKS.filter((c) => result.checks[c].verdict === 'violated');
        log(`#${index} ${spec.scenario} × ${spec.fault} (${(result.durationMs / 1000).toFixed(1)} s: ${Object.entries(result.phases).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}`).join(', ')}): ${broken.length ? `VIOLATED ${broken.join(', ')}` : 'ok'}`);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, options.jobs) }, worker));
  } finally {
    await world.close();
  }
  results.sort((a, b) => a.spec.index - b.spec.index);
  const violations = results.filter((r) => CHECKS.some((c) => r.checks[c].verdict === 'violated'));
  return { seed: options.seed, results, features: world.features, violations, table: formatTable(results), durationMs: Date.now() - t0 };
}

/**
 * One row per scenario × fault: trials, how many the fault struck while the operation ran, and per check
 * `ok/violated`, then `+Np` (would be violated; the fix is not landed) when any.
 */
export function formatTable(results: TrialResult[]): string {
  const header = ['scenario', 'fault', 'trials', 'struck', ...CHECKS];
  const rows: string[][] = [];
  const totals = new Map<Check, Record<string, number>>(CHECKS.map((c) => [c, { ok: 0, violated: 0, pending: 0, na: 0 }]));
  for (const { scenario, fault } of COMBINATIONS) {
    const mine = results.filter((r) => r.spec.scenario === scenario && r.spec.fault === fault);
    if (mine.length === 0) continue;
    rows.push([scenario, fault, String(mine.length), String(mine.filter((r) => r.struck).length), ...CHECKS.map((c) => cell(mine.map((r) => r.checks[c].verdict), totals.get(c)!))]);
  }
  rows.push(['total', '', String(results.length), String(results.filter((r) => r.struck).length), ...CHECKS.map((c) => cellOf(totals.get(c)!))]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((v, i) => v.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

function cell(verdicts: string[], total: Record<string, number>): string {
  const c = { ok: 0, violated: 0, pending: 0, na: 0 };
  for (const v of verdicts) (c[v as keyof typeof c]++, total[v]++);
  return cellOf(c);
}

function cellOf(c: Record<string, number>): string {
  if (c.ok + c.violated + c.pending === 0) return 'n/a';
  return `${c.ok}/${c.violated}${c.pending ? ` +${c.pending}p` : ''}`;
}

/** Each violated (or pending) check of each trial, with the command that replays that trial. */
export function describeFindings(report: FaultRunReport, verdict: 'violated' | 'pending' = 'violated'): string[] {
  const lines: string[] = [];
  for (const r of report.results) {
    const found = CHECKS.filter((c) => r.checks[c].verdict === verdict);
    if (found.length === 0) continue;
    lines.push(`#${r.spec.index} ${r.spec.scenario} × ${r.spec.fault} [base ${r.spec.base}: stepstone ${r.spec.args.join(' ')}; delay ${r.spec.delayMs} ms ${r.spec.fromSpawn ? 'after start' : 'after first output'}, stagger ${r.spec.staggerMs} ms] replay: npm run faults -- --seed ${report.seed} --trial ${r.spec.index}`);
    for (const c of found) lines.push(`    ${c}: ${r.checks[c].note ?? ''}`);
    for (const p of r.processes) lines.push(`    ${p}`);
  }
  return lines;
}
