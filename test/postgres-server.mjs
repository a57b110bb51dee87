// Finds the PostgreSQL server the tests use, and says which:
// STEPSTONE_TEST_DATABASE_URL if set, else 127.0.0.1:5432 if it answers, else a throwaway
// cluster started from the local PostgreSQL binaries in a temporary folder.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import pg from 'pg';

async function answers(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

function findBinDir() {
  const candidates = [];
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    for (const v of readdirSync(root).sort((a, b) => Number(b) - Number(a))) candidates.push(join(root, v, 'bin'));
  }
  for (const dir of (process.env.PATH ?? '').split(':')) candidates.push(dir);
  return candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function startThrowawayCluster() {
  const bin = findBinDir();
  if (!bin) return null;
  const dir = mkdtempSync(join(tmpdir(), 'stepstone-pg-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  const port = await freePort();
  const asRoot = userInfo().uid === 0;
  const run = (cmd, args) => {
    const full = join(bin, cmd);
    const res = asRoot
      ? spawnSync('runuser', ['-u', 'postgres', '--', full, ...args], { encoding: 'utf8' })
      : spawnSync(full, args, { encoding: 'utf8' });
    if (res.status !== 0) throw new Error(`${cmd} failed: ${res.stderr || res.stdout}`);
  };
  const user = asRoot ? 'postgres' : userInfo().username;
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  run('pg_ctl', ['-D', data, '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, '-l', join(dir, 'log'), '-w', 'start']);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const stop = () => {
    try {
      run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
    } catch {}
    rmSync(dir, { recursive: true, force: true });
  };
  return { url, stop, description: `a throwaway cluster (${bin}) on port ${port} as ${user}` };
}

/** Resolve the server; returns { url, stop, description } or throws with how to provide one. */
export async function findPostgresServer() {
  const fromEnv = process.env.STEPSTONE_TEST_DATABASE_URL;
  if (fromEnv) {
    if (await answers(fromEnv)) return { url: fromEnv, stop: () => {}, description: `STEPSTONE_TEST_DATABASE_URL (${redact(fromEnv)})` };
    throw new Error(`STEPSTONE_TEST_DATABASE_URL is set but the server does not answer: ${redact(fromEnv)}`);
  }
  const local = 'postgres://postgres@127.0.0.1:5432/postgres';
  if (await answers(local)) return { url: local, stop: () => {}, description: 'the local server at 127.0.0.1:5432' };
  const cluster = await startThrowawayCluster().catch((e) => {
    process.stderr.write(`Could not start a throwaway PostgreSQL cluster: ${e.message}\n`);
    return null;
  });
  if (cluster) return cluster;
  throw new Error(
    'No PostgreSQL server for the tests. Set STEPSTONE_TEST_DATABASE_URL to a server URL (superuser), ' +
      'start PostgreSQL on 127.0.0.1:5432, or install the PostgreSQL server binaries (initdb, pg_ctl).',
  );
}

function redact(url) {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

export function postgresBinDir() {
  return findBinDir();
}

// Allow `node test/postgres-server.mjs` to print which server would be used.
if (import.meta.url === `file://${process.argv[1]}`) {
  findPostgresServer().then((s) => {
    console.log(s.description);
    s.stop();
  });
}
export { execFileSync };
