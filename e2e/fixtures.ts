/**
 * Test fixtures: each test gets its own data folder (`--home`), a fresh PostgreSQL database when
 * it asks for one, and web mode started as a child process whose printed URL the page opens.
 * Everything is torn down after the test: servers killed, database dropped, folder removed.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, query, type TestDatabase } from '../test/database';

export const ROOT = join(__dirname, '..');
const LAUNCHER = join(__dirname, 'web-mode-launcher.cjs');
const URL_LINE = /Stepstone web mode: (http:\/\/127\.0\.0\.1:(\d+)\/\?token=(\S+))/;

/** A running web mode: where it listens and how to stop it. */
export interface WebMode {
  /** The printed URL, with the token. */
  loginUrl: string;
  /** http://127.0.0.1:PORT */
  origin: string;
  token: string;
  process: ChildProcess;
  /** What the server printed so far (attached to a failing test's report). */
  output(): string;
  stop(): Promise<void>;
}

/** Start `node dist/web.cjs` with `args` (cwd: the checkout) and resolve once it printed its URL. */
export async function startWebMode(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<WebMode> {
  const child = spawn(process.execPath, ['--enable-source-maps', LAUNCHER, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));

  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const match = await new Promise<RegExpMatchArray>((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`web mode printed no URL within 20 s.\nstdout: ${stdout}\nstderr: ${stderr}`)), 20_000);
    const onData = () => {
      const m = stdout.match(URL_LINE);
      if (m) done(null, m);
    };
    const onExit = (code: number | null) => done(new Error(`web mode exited (code ${code}) before printing its URL.\nstdout: ${stdout}\nstderr: ${stderr}`));
    function done(error: Error | null, m?: RegExpMatchArray) {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.off('exit', onExit);
      if (error) {
        child.kill('SIGKILL');
        reject(error);
      } else resolve(m!);
    }
    child.stdout.on('data', onData);
    child.once('exit', onExit);
  });

  return {
    loginUrl: match[1],
    origin: `http://127.0.0.1:${match[2]}`,
    token: match[3],
    process: child,
    output: () => `stdout:\n${stdout}\nstderr:\n${stderr}\nexit: ${child.exitCode ?? child.signalCode ?? 'running'}`,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Open the printed URL and wait until the app says a profile's status has loaded. */
export async function openApp(page: Page, server: WebMode): Promise<void> {
  await page.goto(server.loginUrl);
  await waitForReady(page);
}

/**
 * Open the printed URL and wait for the shell only (the connections list): for tests that add
 * their own connection and never use the demo, whose embedded database may still be starting.
 */
export async function openShell(page: Page, server: WebMode): Promise<void> {
  await page.goto(server.loginUrl);
  await expect(page.getByRole('navigation', { name: 'Connections' }).getByRole('button', { name: 'Add connection', exact: true })).toBeVisible({ timeout: 30_000 });
}

/** The app-ready signal: `document.body.dataset.ready === 'true'`. */
export async function waitForReady(page: Page): Promise<void> {
  await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 20_000 });
}

/** A knex_migrations row, as the database has it. */
export interface LedgerRow {
  name: string;
  batch: number;
}

/** The ledger of a database, in apply order; empty when knex_migrations does not exist yet. */
export async function ledger(url: string): Promise<LedgerRow[]> {
  const exists = await query<{ t: string | null }>(url, "select to_regclass('public.knex_migrations')::text as t");
  if (!exists[0].t) return [];
  return query<LedgerRow>(url, 'select name, batch from knex_migrations order by id');
}

/** Names of the tables in `public` other than Knex's and Stepstone's own (its history and snapshots). */
export async function userTables(url: string): Promise<string[]> {
  const rows = await query<{ tablename: string }>(
    url,
    "select tablename from pg_tables where schemaname = 'public' and tablename not like 'knex\\_migrations%' and tablename not like 'stepstone\\_%' order by tablename",
  );
  return rows.map((r) => r.tablename);
}

interface Fixtures {
  /** This test's own data folder, passed as `--home`. */
  home: string;
  /** A fresh database, dropped after the test. */
  database: TestDatabase;
  /** Start web mode with these flags (plus `--home`); stopped after the test. */
  webMode: (args?: readonly string[]) => Promise<WebMode>;
  /** Save a full-page screenshot in the test's artifacts and attach it to the report. */
  saveScreen: (name: string) => Promise<void>;
}

export const test = base.extend<Fixtures>({
  // eslint-disable-next-line no-empty-pattern
  home: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'stepstone-e2e-home-'));
    await use(dir);
    rmSync(dir, { recursive: true, force: true });
  },

  // eslint-disable-next-line no-empty-pattern
  database: async ({}, use, testInfo) => {
    const db = await createTestDatabase(`e2e_${testInfo.title}`);
    await use(db);
    await db.drop();
  },

  webMode: async ({ home }, use, testInfo) => {
    const started: WebMode[] = [];
    await use(async (args = []) => {
      const server = await startWebMode([...args, '--home', home]);
      started.push(server);
      return server;
    });
    // A failing test shows what its servers said (a crash, a stack) beside the browser's side; a file too, to read in test-results.
    if (testInfo.status !== testInfo.expectedStatus) {
      for (const [i, s] of started.entries()) {
        const path = testInfo.outputPath(`web-mode-${i + 1}-output.txt`);
        writeFileSync(path, s.output());
        await testInfo.attach(`web-mode-${i + 1}-output`, { path, contentType: 'text/plain' });
      }
    }
    await Promise.all(started.map((s) => s.stop()));
  },

  saveScreen: async ({ page }, use, testInfo) => {
    let n = 0;
    await use(async (name) => {
      n += 1;
      const path = testInfo.outputPath(`${String(n).padStart(2, '0')}-${name}.png`);
      await page.screenshot({ path, fullPage: true });
      await testInfo.attach(name, { path, contentType: 'image/png' });
    });
  },
});

export { expect };
