// bench/dry-run: `stepstone plan upgrade` (the dry run: every migration run and rolled back, each
// one's SQL and schema change; the sample's non-transactional migration and the rest on a scratch
// database) against `stepstone upgrade` of the same plan for real, each on a fresh database with the
// sample project's migrations; whole CLI processes, alternating, median of 5. Target ≤ 1.5×.
import { spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { median, record } from './report.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const server = process.env.STEPSTONE_BENCH_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const suffix = Math.random().toString(36).slice(2, 8);

async function admin(sql) {
  const c = new pg.Client({ connectionString: server });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}
function urlFor(db) {
  const u = new URL(server);
  u.pathname = `/${db}`;
  return u.toString();
}
function stepstone(args) {
  const devNull = openSync('/dev/null', 'w');
  const t = process.hrtime.bigint();
  const res = spawnSync(process.execPath, [join(root, 'bin', 'stepstone.cjs'), ...args], { cwd: root, stdio: ['ignore', devNull, 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  closeSync(devNull);
  if (res.status !== 0) throw new Error(`stepstone ${args[0]} failed: ${res.stderr}`);
  return ms;
}

const migrations = join(root, 'migrations');
const dry = [];
const real = [];
for (let i = 0; i < RUNS; i++) {
  for (const who of i % 2 === 0 ? ['dry', 'real'] : ['real', 'dry']) {
    const db = `stepstone_bench_dry_${suffix}_${who}_${i}`;
    await admin(`create database ${db}`);
    try {
      const target = ['--db', urlFor(db), '--migrations', migrations, '--json'];
      if (who === 'dry') dry.push(stepstone(['plan', 'upgrade', ...target]));
      else real.push(stepstone(['upgrade', ...target, '--yes', '--no-backup']));
    } finally {
      await admin(`drop database if exists ${db} with (force)`);
    }
  }
}
console.log(`plan upgrade (dry run) runs: ${dry.map(Math.round).join(', ')} ms; upgrade runs: ${real.map(Math.round).join(', ')} ms`);
record({ path: 'dry run (plan upgrade) of the sample project', value: median(dry), reference: median(real), referenceName: 'upgrade of the same plan', unit: 'ms', compare: 'ratio', target: 1.5, note: `median of ${RUNS}` });
