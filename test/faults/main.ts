/**
 * `npm run faults [-- --seed N] [--trials N] [--jobs N] [--trial i,j]`: the fault-injection run.
 * (The npm script builds the CLI bundle first: the trials run bin/stepstone.cjs.)
 * Prints the table and each violation with the command that replays its trial; exit 1 on any violation.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { findPostgresServer } from '../postgres-server.mjs';
import { describeFindings, formatTable, runFaults } from './run-faults';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0) return process.argv[i + 1];
  const eq = process.argv.find((a) => a.startsWith(`--${name}=`));
  return eq?.slice(name.length + 3);
}

function whole(name: string, fallback: number): number {
  const v = option(name);
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v)) {
    process.stderr.write(`--${name} must be a whole number, not "${v}".\n`);
    process.exit(2);
  }
  return Number(v);
}

const seed = whole('seed', randomBytes(4).readUInt32BE(0) % 1_000_000);
const trials = whole('trials', 300);
const jobs = whole('jobs', 3);
const only = option('trial')?.split(',').map(Number);
/** --out <file>: the table (rewritten every 10 trials while the run goes, so a stopped run leaves its counts). */
const out = option('out');
async function main(): Promise<void> {
  const server = await findPostgresServer();
  try {
    const report = await runFaults({
      serverUrl: server.url,
      seed,
      trials,
      jobs,
      only,
      prefix: `fsuite_${seed}_`,
      log: (line) => process.stdout.write(`${line}\n`),
      onTrial: (results) => {
        if (out && results.length % 10 === 0) writeFileSync(out, `Partial: ${results.length} trials so far (seed ${seed})\n\n${formatTable(results)}\n`);
      },
    });
    process.stdout.write(`\n${report.table}\n\nstruck: trials where the fault hit the running operation. cells: ok/violated, +Np = would be violated, the fix not landed yet (owner named below); n/a = not exercised\n`);
    const pending = describeFindings(report, 'pending');
    if (pending.length) process.stdout.write(`\nPending (fix not landed):\n${pending.join('\n')}\n`);
    const violated = describeFindings(report, 'violated');
    if (violated.length) process.stdout.write(`\nViolations:\n${violated.join('\n')}\n`);
    process.stdout.write(`\nseed ${seed}: ${report.results.length} trials in ${(report.durationMs / 1000).toFixed(0)} s, ${report.violations.length} with a violation (replay: npm run faults -- --seed ${seed} --trials ${trials})\n`);
    if (out) {
      const findings = [...describeFindings(report, 'violated'), ...describeFindings(report, 'pending')];
      writeFileSync(out, `seed ${seed}: ${report.results.length} trials, ${jobs} at a time, ${(report.durationMs / 1000).toFixed(0)} s; features landed: ${Object.entries(report.features).map(([k, v]) => `${k}=${v}`).join(' ')}\n\n${report.table}\n\nstruck: trials where the fault hit the running operation. cells: ok/violated, +Np = would be violated, the fix not landed yet; n/a = not exercised\n\n${findings.join('\n')}\n`);
    }
    process.exitCode = report.violations.length ? 1 : 0;
  } finally {
    server.stop();
  }
}

void main();
