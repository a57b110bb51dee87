// bench/engine: whole-process `stepstone upgrade` of 1,000 trivial migrations on a fresh database,
// and `stepstone status` over 10,000 migration files, each against the knex CLI (migrate:latest,
// migrate:list) measured alternately in the same run, median of 5. Prints the ratios.
// Targets: upgrade ≤ 1.05, status ≤ 1.0.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = join(root, 'bench', '.work'); // inside the repo so the knex CLI finds its local knex
const server = process.env.STEPSTONE_BENCH_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function urlFor(db) {
  const u = new URL(server);
  u.pathname = `/${db}`;
  return u.toString();
}
async function admin(sql) {
  const c = new pg.Client({ connectionString: server });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}
async function on(url, fn) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

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

function time(cmd, args) {
  const t = process.hrtime.bigint();
  const res = spawnSync(cmd, args, { cwd: work, encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, NO_COLOR: '1' } });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (res.status !== 0) throw new Error(`${args.join(' ')} failed: ${res.stderr || res.stdout}`);
  return ms;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const stepstone = (args) => time(process.execPath, [join(root, 'bin', 'stepstone.cjs'), ...args]);
const knexCli = (args) => time(process.execPath, [join(root, 'node_modules', 'knex', 'bin', 'cli.js'), ...args]);

async function benchUpgrade() {
  const { dir } = folder('upgrade-1000', 1000);
  const ours = [];
  const theirs = [];
  for (let i = 0; i < RUNS; i++) {
    for (const who of i % 2 === 0 ? ['knex', 'stepstone'] : ['stepstone', 'knex']) {
      const db = `stepstone_bench_up_${who}_${i}`;
      await admin(`drop database if exists ${db}`);
      await admin(`create database ${db}`);
      const url = urlFor(db);
      if (who === 'knex') theirs.push(knexCli(['migrate:latest', '--knexfile', knexfile('up', url, dir)]));
      else ours.push(stepstone(['upgrade', '--db', url, '--migrations', dir, '--yes', '--no-backup', '--json']));
      await admin(`drop database ${db} with (force)`);
    }
  }
  return { ours: median(ours), theirs: median(theirs) };
}

async function benchStatus() {
  const { dir, files } = folder('status-10000', 10000);
  const db = 'stepstone_bench_status';
  await admin(`drop database if exists ${db}`);
  await admin(`create database ${db}`);
  const url = urlFor(db);
  try {
    // Half the files applied by Stepstone (so status must checksum 5,000 files), half pending.
    stepstone(['upgrade', '--db', url, '--migrations', join(work, 'upgrade-1000'), '--yes', '--no-backup', '--to', files[0].file]);
    await on(url, async (c) => {
      await c.query('truncate knex_migrations, stepstone_migrations');
      const applied = files.slice(0, 5000);
      await c.query(
        `insert into knex_migrations (name, batch, migration_time) select unnest($1::text[]), 1, now()`,
        [applied.map((f) => f.file)],
      );
      await c.query(
        `insert into stepstone_migrations (name, checksum) select unnest($1::text[]), unnest($2::text[])`,
        [applied.map((f) => f.file), applied.map((f) => createHash('sha256').update(f.source).digest('hex'))],
      );
    });
    const kf = knexfile('status', url, dir);
    const ours = [];
    const theirs = [];
    for (let i = 0; i < RUNS; i++) {
      if (i % 2 === 0) {
        theirs.push(knexCli(['migrate:list', '--knexfile', kf]));
        ours.push(stepstone(['status', '--db', url, '--migrations', dir, '--json']));
      } else {
        ours.push(stepstone(['status', '--db', url, '--migrations', dir, '--json']));
        theirs.push(knexCli(['migrate:list', '--knexfile', kf]));
      }
    }
    return { ours: median(ours), theirs: median(theirs) };
  } finally {
    await admin(`drop database if exists ${db} with (force)`);
  }
}

mkdirSync(work, { recursive: true });
try {
  const up = await benchUpgrade();
  console.log(`upgrade 1,000 migrations: stepstone ${up.ours.toFixed(0)} ms, knex migrate:latest ${up.theirs.toFixed(0)} ms, ratio ${(up.ours / up.theirs).toFixed(2)} (target ≤ 1.05)`);
  const st = await benchStatus();
  console.log(`status 10,000 files: stepstone ${st.ours.toFixed(0)} ms, knex migrate:list ${st.theirs.toFixed(0)} ms, ratio ${(st.ours / st.theirs).toFixed(2)} (target ≤ 1.0)`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
