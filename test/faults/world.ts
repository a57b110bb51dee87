/**
 * What every trial of a run shares: the fixture project, template databases at each starting state
 * (made once with Stepstone itself), the reference schema (all migrations applied cleanly), a
 * backups folder holding one built-in and one pg_dump backup to restore, and which of the
 * features the checks need have landed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunOutcome } from '../../src/shared/run';
import { databasesLike, schemaSignature, withClient } from './database-state';
import { FIXTURE_MIGRATIONS, writeFixtureProject } from './fixture';
import { STEPSTONE_BIN } from './processes';

export interface Features {
  /** faults: history rows written at the start, 'interrupted' read back; connection errors handled. */
  historyStart: boolean;
  /** nontx: status reports interrupted non-transactional migrations with their repairs. */
  nonTransactionalJournal: boolean;
  /** nontx: status (`leftovers`) reports stale partials and leftover restore databases. */
  leftoverReport: boolean;
}

export interface FaultWorld {
  serverUrl: string;
  prefix: string;
  workDir: string;
  migrations: string;
  knexfile: string;
  templates: Record<0 | 1 | 2 | 4 | 6, string>;
  reference: string[];
  backupsSource: string;
  backupIds: { builtin: string; pg_dump: string };
  features: Features;
  urlFor(database: string): string;
  close(): Promise<void>;
}

export function urlOn(serverUrl: string, database: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

/** `stepstone <args>` to its end (setup and checks; the faulted runs use processes.ts). */
export function stepstoneSync(args: string[], cwd: string): { code: number; stdout: string; stderr: string; json: any } {
  const res = spawnSync(process.execPath, [STEPSTONE_BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' }, timeout: 120_000, maxBuffer: 1 << 26 });
  let json: any = null;
  try {
    json = JSON.parse(res.stdout);
  } catch {}
  return { code: res.status ?? -1, stdout: res.stdout ?? '', stderr: res.stderr ?? '', json };
}

/** The same, without blocking the event loop (the checks run several at once). */
export async function stepstone(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string; json: any }> {
  const { spawn } = await import('node:child_process');
  return new Promise((done) => {
    const p = spawn(process.execPath, [STEPSTONE_BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => p.kill('SIGKILL'), 120_000);
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => {
      clearTimeout(timer);
      let json: any = null;
      try {
        json = JSON.parse(stdout);
      } catch {}
      done({ code: code ?? -1, stdout, stderr, json });
    });
  });
}

async function admin(serverUrl: string, sql: string): Promise<void> {
  await withClient(serverUrl, (c) => c.query(sql));
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await admin(serverUrl, `drop database if exists "${name}" with (force)`);
}

export async function createWorld(serverUrl: string, prefix: string): Promise<FaultWorld> {
  const workDir = mkdtempSync(join(tmpdir(), `${prefix}`));
  const { migrations, knexfile } = writeFixtureProject(join(workDir, 'project'));
  const urlFor = (database: string) => urlOn(serverUrl, database);
  const home = join(workDir, 'setup-home');
  const templates = { 0: `${prefix}t0`, 1: `${prefix}t1`, 2: `${prefix}t2`, 4: `${prefix}t4`, 6: `${prefix}t6` } as const;
  const close = async () => {
    for (const name of await withClient(serverUrl, (c) => databasesLike(c, prefix))) await dropDatabase(serverUrl, name).catch(() => {});
    rmSync(workDir, { recursive: true, force: true });
  };
  try {
    for (const name of Object.values(templates)) await admin(serverUrl, `create database "${name}"`);
    const where = (db: string) => ['--db', urlFor(db), '--migrations', migrations, '--home', home];
    await Promise.all(
      ([1, 2, 4, 6] as const).map(async (n) => {
        const res = await stepstone(['upgrade', '--yes', '--no-backup', '--to', FIXTURE_MIGRATIONS[n - 1].name, ...where(templates[n])], workDir);
        if (res.code !== 0) throw new Error(`Could not prepare the template at ${n} migrations: ${res.stderr}`);
      }),
    );
    const reference = await withClient(urlFor(templates[6]), schemaSignature);
    const backupsSource = join(workDir, 'backups-source');
    const backupIds = { builtin: '', pg_dump: '' };
    for (const method of ['builtin', 'pg_dump'] as const) {
      const res = await stepstone(['backup', '--method', method, '--backups-dir', backupsSource, '--json', ...where(templates[6])], workDir);
      if (res.code !== 0 || !res.json?.id) throw new Error(`Could not take the ${method} backup to restore: ${res.stderr}`);
      backupIds[method] = res.json.id;
    }
    const status = await stepstone(['status', '--json', ...where(templates[6])], workDir);
    const listing = await stepstone(['backups', '--json', '--backups-dir', backupsSource, ...where(templates[6])], workDir);
    const features: Features = {
      historyStart: (RunOutcome.options as readonly string[]).includes('interrupted'),
      nonTransactionalJournal: Array.isArray(status.json?.interrupted),
      leftoverReport: (status.json !== null && 'leftovers' in status.json) || (listing.json !== null && !Array.isArray(listing.json) && 'leftoverDatabases' in listing.json),
    };
    return { serverUrl, prefix, workDir, migrations, knexfile, templates, reference, backupsSource, backupIds, features, urlFor, close };
  } catch (error) {
    await close();
    throw error;
  }
}
