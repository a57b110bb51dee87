// bench/engine: whole-process CLI runs against the knex CLI, alternating in the same run, medians:
//   - `stepstone upgrade` of 1,000 trivial migrations on a fresh database vs `knex migrate:latest`;
//   - `stepstone status --json` over 10,000 files with none applied (the ledger exists, empty) and
//     with 5,000 applied by Stepstone (5,000 checksums read) vs `knex migrate:list`;
//   - peak RSS of those status runs next to knex's.
// Times CLIs as `node bin/stepstone.cjs …` and `node node_modules/knex/bin/cli.js …` (never npx).
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { databaseUrl, withClient } from './database.mjs';
import { median, record } from './report.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = join(root, 'bench', '.work'); // inside the repo so the knex CLI finds its local knex
const server = process.env.STEPSTONE_BENCH_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const STATUS_RUNS = Number(process.env.BENCH_STATUS_RUNS ?? 11);
const suffix = Math.random().toString(36).slice(2, 8);

const urlFor = (db) => databaseUrl(server, db);
const admin = (sql) => withClient(server, (c) => c.query(sql));

function folder(name, count) {
  const dir = join(work, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files = [];
  for (let i = 0; i < count; i++) {
    const file = `2025${String(i).padStart(10, '0')}_m${i}.js`;
    const source = `exports.up = (knex) => knex.schema.createTable('t${i}', (t) => { t.increments(); });\nexports.down = (knex) => knex.schema.dropTable('t${i}');\n`;
    writeFileSync(join(dir, file), source);
    files.push({ file, source });
  }
  return { dir, files };
}

function knexfile(name, url, dir) {
  const path = join(work, `knexfile-${name}.js`);
  writeFileSync(path, `module.exports = { client: 'pg', connection: ${JSON.stringify(url)}, migrations: { directory: ${JSON.stringify(dir)} } };\n`);
  return path;
}

/**
 * Run a node script to completion; its wall time in ms. Stdout goes to /dev/null: through a pipe the
 * knex CLI exits before its output is flushed (it prints only the first 64 KiB of a 10,000-line
 * list) and is slower, which would flatter the ratio.
 */
function time(args, env = {}) {
  const devNull = openSync('/dev/null', 'w');
  const t = process.hrtime.bigint();
  const res = spawnSync(process.execPath, args, { cwd: work, encoding: 'utf8', stdio: ['ignore', devNull, 'pipe'], env: { ...process.env, NO_COLOR: '1', ...env } });
  closeSync(devNull);
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (res.status !== 0) throw new Error(`${args.join(' ')} failed: ${res.stderr}`);
  return ms;
}
const STEPSTONE = join(root, 'bin', 'stepstone.cjs');
const KNEX = join(root, 'node_modules', 'knex', 'bin', 'cli.js');
const stepstone = (args) => time([STEPSTONE, ...args]);
const knexCli = (args) => time([KNEX, ...args]);

/** Peak RSS (MiB) of one run, through the preloaded bench/peak-rss.cjs. */
function peakRss(script, args) {
  const file = join(work, `rss-${process.pid}`);
  time(['--require', join(root, 'bench', 'peak-rss.cjs'), script, ...args], { STEPSTONE_PEAK_RSS_FILE: file });
  return Number(readFileSync(file, 'utf8')) / 1024;
}

/** Alternate ours and theirs `runs` times (who goes first alternates too); medians. */
function alternate(runs, ours, theirs) {
  const a = [];
  const b = [];
  for (let i = 0; i < runs; i++) {
    if (i % 2 === 0) {
      b.push(theirs());
      a.push(ours());
    } else {
      a.push(ours());
      b.push(theirs());
    }
  }
  return { ours: median(a), theirs: median(b), runs };
}

async function benchUpgrade() {
  const { dir } = folder('upgrade-1000', 1000);
  const ours = [];
  const theirs = [];
  for (let i = 0; i < RUNS; i++) {
    for (const who of i % 2 === 0 ? ['knex', 'stepstone'] : ['stepstone', 'knex']) {
      const db = `stepstone_bench_up_${suffix}_${who}_${i}`;
      await admin(`create database ${db}`);
      try {
        const url = urlFor(db);
        if (who === 'knex') theirs.push(knexCli(['migrate:latest', '--knexfile', knexfile('up', url, dir)]));
        else ours.push(stepstone(['upgrade', '--db', url, '--migrations', dir, '--yes', '--no-backup', '--json']));
      } finally {
        await admin(`drop database if exists ${db} with (force)`);
      }
    }
  }
  record({ path: 'upgrade, 1,000 trivial migrations', value: median(ours), reference: median(theirs), referenceName: 'knex migrate:latest', unit: 'ms', compare: 'ratio', target: 1.05, note: `median of ${RUNS}` });
}

async function benchStatus(files, dir) {
  const db = `stepstone_bench_status_${suffix}`;
  await admin(`create database ${db}`);
  const url = urlFor(db);
  try {
    // Knex's own tables, empty: "none applied" (knex's list would create them on its first run otherwise).
    stepstone(['upgrade', '--db', url, '--migrations', join(work, 'upgrade-1000'), '--yes', '--no-backup', '--to', files[0].file]);
    await withClient(url, (c) => c.query('truncate knex_migrations, stepstone_migrations'));
    const kf = knexfile('status', url, dir);
    const ourArgs = ['status', '--db', url, '--migrations', dir, '--json'];
    const theirArgs = ['migrate:list', '--knexfile', kf];

    const none = alternate(STATUS_RUNS, () => stepstone(ourArgs), () => knexCli(theirArgs));
    record({ path: 'status, 10,000 files, none applied', value: none.ours, reference: none.theirs, referenceName: 'knex migrate:list', unit: 'ms', compare: 'ratio', target: 0.8, note: `median of ${none.runs}` });
    const rss = alternate(3, () => peakRss(STEPSTONE, ourArgs), () => peakRss(KNEX, theirArgs));
    record({ path: 'status, 10,000 files: CLI peak RSS', value: rss.ours, reference: rss.theirs, referenceName: 'knex migrate:list', unit: 'MiB', compare: 'ratio', target: null, note: 'median of 3' });

    // Half applied by Stepstone, so status must checksum 5,000 files.
    await withClient(url, async (c) => {
      const applied = files.slice(0, 5000);
      await c.query(`insert into knex_migrations (name, batch, migration_time) select unnest($1::text[]), 1, now()`, [applied.map((f) => f.file)]);
      await c.query(`insert into stepstone_migrations (name, checksum) select unnest($1::text[]), unnest($2::text[])`, [
        applied.map((f) => f.file),
        applied.map((f) => createHash('sha256').update(f.source).digest('hex')),
      ]);
    });
    const half = alternate(STATUS_RUNS, () => stepstone(ourArgs), () => knexCli(theirArgs));
    record({ path: 'status, 10,000 files, 5,000 applied', value: half.ours, reference: half.theirs, referenceName: 'knex migrate:list', unit: 'ms', compare: 'ratio', target: 1.0, note: `median of ${half.runs}` });
  } finally {
    await admin(`drop database if exists ${db} with (force)`);
  }
}

mkdirSync(work, { recursive: true });
try {
  const only = process.argv[2];
  if (!only || only === 'upgrade') await benchUpgrade();
  else folder('upgrade-1000', 1000);
  if (!only || only === 'status') {
    const { dir, files } = folder('status-10000', 10000);
    await benchStatus(files, dir);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
