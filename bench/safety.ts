// bench/safety: whole-process timings, alternated and median of BENCH_RUNS (default 3), each against
// a reference measured in the same run:
//  - `stepstone lint` of the ten migrations on a database with a 400k-row table, against the
//    dry run alone (`stepstone plan upgrade`): what lock tracing, parsing and live sizes add;
//  - `stepstone verify` (the rollback stairway on a shadow database) of a folder of 100 migrations,
//    against a plain `stepstone upgrade --no-backup` of the same folder on the same server. Target ≤ 3×.
// BENCH_SAFETY=verify (or lint) runs only that figure.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { LINT_MIGRATIONS, createOrdersTable } from '../test/lint-fixture';
import { record } from './report.mjs';

const root = join(__dirname, '..');
const work = join(root, 'bench', '.work');
const server = process.env.STEPSTONE_BENCH_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const home = join(work, 'home');

function urlFor(db: string): string {
  const u = new URL(server);
  u.pathname = `/${db}`;
  return u.toString();
}

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: server });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

async function freshDatabase(name: string): Promise<string> {
  await admin(`drop database if exists ${name} with (force)`);
  await admin(`create database ${name}`);
  return urlFor(name);
}

function writeFolder(name: string, files: Record<string, string>): string {
  const dir = join(work, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [file, source] of Object.entries(files)) writeFileSync(join(dir, file), source);
  return dir;
}

/** Milliseconds of one `stepstone …` process; `ok` exit codes are those the command may end with. */
function stepstone(args: string[], ok = [0]): number {
  const t = process.hrtime.bigint();
  const res = spawnSync(process.execPath, [join(root, 'bin', 'stepstone.cjs'), ...args, '--home', home], { cwd: work, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, NO_COLOR: '1', STEPSTONE_PG_DUMP: 'none' } });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (!ok.includes(res.status ?? -1)) throw new Error(`stepstone ${args.join(' ')} exited ${res.status}: ${res.stderr || res.stdout}`);
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function benchLint(): Promise<void> {
  const url = await freshDatabase('stepstone_bench_lint');
  await createOrdersTable(url);
  const dir = writeFolder('lint-400k', LINT_MIGRATIONS);
  const lint: number[] = [];
  const dryRun: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    for (const who of i % 2 === 0 ? ['dry', 'lint'] : ['lint', 'dry']) {
      if (who === 'lint') lint.push(stepstone(['lint', '--json', '--db', url, '--migrations', dir], [1]));
      else dryRun.push(stepstone(['plan', 'upgrade', '--json', '--db', url, '--migrations', dir]));
    }
  }
  await admin('drop database if exists stepstone_bench_lint with (force)');
  record({ path: 'lint, 10 migrations, 400k-row table', value: median(lint), reference: median(dryRun), referenceName: 'dry run alone (stepstone plan upgrade)', unit: 'ms', compare: 'ratio', target: null, note: `runs: ${RUNS}, medians` });
}

/** 100 migrations: tables with a few columns, an index and a foreign key to the previous table. */
function stairwayFolder(): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < 100; i++) {
    const fk = i > 0 ? `t.integer('prev_id').references('id').inTable('s${i - 1}');` : '';
    files[`2026${String(i).padStart(10, '0')}_s${i}.js`] =
      `exports.up = (knex) => knex.schema.createTable('s${i}', (t) => { t.increments(); t.string('name').notNullable(); t.timestamps(true, true); ${fk} t.index(['name']); });\n` +
      `exports.down = (knex) => knex.schema.dropTable('s${i}');\n`;
  }
  return files;
}

async function benchVerify(): Promise<void> {
  const dir = writeFolder('stairway-100', stairwayFolder());
  const verify: number[] = [];
  const upgrade: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    for (const who of i % 2 === 0 ? ['upgrade', 'verify'] : ['verify', 'upgrade']) {
      const url = await freshDatabase(`stepstone_bench_${who}`);
      if (who === 'verify') verify.push(stepstone(['verify', '--json', '--db', url, '--migrations', dir]));
      else upgrade.push(stepstone(['upgrade', '--yes', '--no-backup', '--json', '--db', url, '--migrations', dir]));
      await admin(`drop database if exists stepstone_bench_${who} with (force)`);
    }
  }
  record({ path: 'verify (rollback stairway), 100 migrations', value: median(verify), reference: median(upgrade), referenceName: 'stepstone upgrade --no-backup, same folder', unit: 'ms', compare: 'ratio', target: 3, note: `runs: ${RUNS}, medians` });
}

/** BENCH_SAFETY=lint or verify: only that figure (both by default). */
const only = process.env.BENCH_SAFETY;

(async () => {
  mkdirSync(home, { recursive: true });
  if (!only || only === 'lint') await benchLint();
  if (!only || only === 'verify') await benchVerify();
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
