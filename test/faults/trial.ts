/**
 * One fault trial: a database from the template of its starting state, the Stepstone operation
 * run as a child process, the fault (SIGKILL, terminated backends, a second Stepstone, the knex
 * CLI), then the checks against the database's real state (trial-checks.ts), then the repair
 * Stepstone offers and one `upgrade`, which must reach the reference schema.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import pg from 'pg';
import { databasesLike, foreignBackends, historyRows, ledgerNames, lockRowSet, objectState, schemaSignature, trueLockState, withClient } from './database-state';
import { FIXTURE_MIGRATIONS } from './fixture';
import { type Child, firstOutput, kill, sleep, spawnChild, sweepGroup } from './processes';
import type { TrialSpec } from './scenarios';
import {
  type Check,
  type CheckResult,
  type CliResult,
  type Observed,
  bad,
  checkExit,
  checkHalfApplied,
  checkHistory,
  checkLeftovers,
  checkLock,
  checkNonTransactionalRepair,
  firstLines,
  ok,
  pendingOn,
} from './trial-checks';
import { type FaultWorld, dropDatabase, stepstone } from './world';

export { CHECKS, type Check, type CheckResult, type Verdict } from './trial-checks';

export interface TrialResult {
  spec: TrialSpec;
  checks: Record<Check, CheckResult>;
  durationMs: number;
  /** ms spent in each phase (setup, run, settle, observe, converge). */
  phases: Record<string, number>;
  /** Whether the fault hit a running operation (a kill or a termination while it ran, the second process started before the first ended). */
  struck: boolean;
  /** What the processes did, for a violation's report. */
  processes: string[];
}

/** Terminate Stepstone's (and its pg_dump/pg_restore's) backends in the trial's databases; how many. */
async function terminateStepstone(observer: pg.Client, databases: string[], except: number[]): Promise<number> {
  const rows = (
    await observer.query(
      `select pg_terminate_backend(pid) as t from pg_stat_activity
        where datname = any($1::text[]) and pid <> pg_backend_pid() and not (pid = any($2::int[]))
          and (application_name like 'stepstone%' or application_name in ('pg_dump', 'pg_restore'))`,
      [databases, except],
    )
  ).rows;
  return rows.filter((r) => r.t).length;
}

/** What a trial works with: its database(s), folders, the connection options every CLI call gets. */
interface TrialPlace {
  db: string;
  url: string;
  databases: string[];
  dir: string;
  backupsDir: string;
  where: string[];
  args: string[];
}

export async function runTrial(world: FaultWorld, spec: TrialSpec): Promise<TrialResult> {
  const t0 = Date.now();
  const phases: Record<string, number> = {};
  let mark = t0;
  const phase = (name: string) => {
    phases[name] = Date.now() - mark;
    mark = Date.now();
  };
  const trialStart = new Date(t0 - 2000); // history timestamps come from the CLI's clock: same machine
  const place = await prepare(world, spec);
  const children: Child[] = [];
  const observer = new pg.Client({ connectionString: place.url, application_name: 'fsuite observer' });
  observer.on('error', () => {});
  await observer.connect();
  const blocking: { client: pg.Client | null } = { client: null };
  phase('setup');
  try {
    await runFaulted(world, spec, place, observer, children, blocking);
    phase('run');
    await blocking.client?.end().catch(() => {});
    blocking.client = null;
    const orphans = await settle(observer, place.databases, children);
    phase('settle');
    const observed = await observe(world, spec, place, observer, children, orphans, trialStart);
    phase('observe');
    const checks: Record<Check, CheckResult> = {
      exit: checkExit(observed),
      'half-applied': checkHalfApplied(observed),
      lock: checkLock(observed),
      history: checkHistory(observed),
      'nontx-repair': checkNonTransactionalRepair(observed),
      leftovers: checkLeftovers(observed),
      converges: ok(),
    };
    checks.converges = await checkConverges(world, place, observed, spec.repairPick, checks['nontx-repair'].verdict === 'pending');
    phase('converge');
    return { spec, struck: struckBy(spec, children), checks, phases, durationMs: Date.now() - t0, processes: children.map(describeChild) };
  } finally {
    await blocking.client?.end().catch(() => {});
    await observer.end().catch(() => {});
    for (const c of children) {
      kill(c);
      sweepGroup(c);
    }
    for (const d of [...place.databases, ...(await pendingDatabasesOf(world.serverUrl, children))]) await dropDatabase(world.serverUrl, d).catch(() => {});
    rmSync(place.dir, { recursive: true, force: true });
  }
}

/** The trial's database from its template, its folders, and the restore's backups. */
async function prepare(world: FaultWorld, spec: TrialSpec): Promise<TrialPlace> {
  const db = `${world.prefix}${spec.index}`;
  const databases = [db, ...(spec.into ? [spec.into] : [])];
  const dir = join(world.workDir, `trial-${spec.index}`);
  const home = join(dir, 'home');
  const backupsDir = join(home, 'backups');
  mkdirSync(home, { recursive: true });
  for (const d of databases) await dropDatabase(world.serverUrl, d);
  await withClient(world.serverUrl, (c) => c.query(`create database "${db}" template "${world.templates[spec.base]}"`));
  const url = world.urlFor(db);
  if (spec.scenario.startsWith('restore/')) cpSync(world.backupsSource, backupsDir, { recursive: true });
  const where = ['--db', url, '--migrations', world.migrations, '--home', home];
  const args = spec.args.map((a) => (a === 'BUILTIN' ? world.backupIds.builtin : a === 'PGDUMP' ? world.backupIds.pg_dump : a));
  return { db, url, databases, dir, backupsDir, where, args };
}

/** Run the operation and strike it with the trial's fault; resolves when every process ended. */
async function runFaulted(world: FaultWorld, spec: TrialSpec, place: TrialPlace, observer: pg.Client, children: Child[], blocking: { client: pg.Client | null }): Promise<void> {
  let blockerDone: Promise<void> = Promise.resolve();
  if (spec.scenario === 'upgrade/concurrently+blocker') {
    // A transaction that wrote to the table: CREATE INDEX CONCURRENTLY waits for it to end.
    const blocker = new pg.Client({ connectionString: place.url, application_name: 'fsuite blocker' });
    blocking.client = blocker;
    blocker.on('error', () => {});
    await blocker.connect();
    await blocker.query('begin');
    await blocker.query("insert into fx_events (kind) values ('blocker')");
    blockerDone = sleep(spec.blockerMs).then(() => blocker.query('commit').then(() => undefined, () => undefined));
  }
  const exceptPids = blocking.client ? [(blocking.client as unknown as { processID: number }).processID] : [];
  const timeoutMs = 90_000;
  const start = (label: string) => {
    const c = spawnChild('stepstone', label, [...place.args, ...place.where], {}, place.dir, timeoutMs);
    children.push(c);
    return c;
  };
  const strike = async (target: Child, fault: () => Promise<void>) => {
    if (!spec.fromSpawn) await firstOutput(target, 60_000);
    await sleep(spec.delayMs);
    await fault();
  };
  if (spec.fault === 'sigkill') {
    const a = start('stepstone');
    await strike(a, async () => {
      if (!a.done) {
        a.killed = true;
        kill(a);
      }
    });
  } else if (spec.fault === 'terminate') {
    const a = start('stepstone');
    await strike(a, async () => {
      // Keep trying until a backend of the run is hit, or the run is over.
      while (!a.done) {
        if ((await terminateStepstone(observer, place.databases, exceptPids).catch(() => 0)) > 0) {
          a.note = `its backends terminated at ${Date.now() - a.startedAt} ms`;
          break;
        }
        await sleep(25);
      }
    });
  } else if (spec.fault === 'two-stepstone') {
    start('stepstone #1');
    await sleep(Math.abs(spec.staggerMs));
    start('stepstone #2');
  } else {
    const knex = () => {
      const k = spawnChild('knex', 'knex migrate:latest', ['migrate:latest', '--knexfile', world.knexfile], { FAULTS_DATABASE_URL: place.url }, place.dir, timeoutMs);
      children.push(k);
    };
    if (spec.staggerMs < 0) {
      knex();
      await sleep(-spec.staggerMs);
      start('stepstone');
    } else {
      start('stepstone');
      await sleep(spec.staggerMs);
      knex();
    }
  }
  await Promise.all(children.map((c) => c.exit));
  await blockerDone;
}

/**
 * What a killed CLI left running must end too: a killed client's backend lives on until it next
 * reads or writes (the end of its statement, or a lock it waits for), as a user would see it a
 * moment later. Wait for that (8 s), then end what is left and wait until it is gone.
 */
async function settle(observer: pg.Client, databases: string[], children: Child[]): Promise<Observed['orphans']> {
  let orphans: Observed['orphans'] = [];
  for (let waited = 0; waited < 8000; waited += 100) {
    orphans = await foreignBackends(observer, databases);
    if (orphans.length === 0) break;
    await sleep(100);
  }
  if (orphans.length > 0) {
    await observer.query('select pg_terminate_backend(pid) from pg_stat_activity where pid = any($1::int[])', [orphans.map((o) => o.pid)]);
    // pg_terminate_backend only signals: the backend (and the locks it holds) goes a moment later.
    for (let waited = 0; waited < 5000 && (await foreignBackends(observer, databases)).length > 0; waited += 50) await sleep(50);
  }
  for (const c of children) sweepGroup(c);
  return orphans;
}

/** The database's truth, and what Stepstone says of it. */
async function observe(world: FaultWorld, spec: TrialSpec, place: TrialPlace, observer: pg.Client, children: Child[], orphans: Observed['orphans'], trialStart: Date): Promise<Observed> {
  const { url, where, dir, backupsDir } = place;
  const operation = spec.args[0];
  const truthBefore = await trueLockState(observer);
  // status through the CLI, as a user asks (the lock, the ledger, interruptions, leftovers);
  // the history and the catalogue are read directly (a CLI process each would double a trial's cost).
  const status = await stepstone(['status', '--json', ...where], dir);
  // After status: it may clean up what a killed restore left (then that database is gone, as it should be).
  const intoExists = spec.into ? (await observer.query('select 1 from pg_database where datname = $1', [spec.into])).rowCount! > 0 : false;
  const historyDatabases = [place.db, ...(intoExists ? [spec.into!] : [])];
  // A stale restore database goes whenever any Stepstone on the server creates one (another trial's
  // restore too): one that vanished meanwhile has no history to read, which is not a failure.
  const gone = async (d: string) => d !== place.db && (await observer.query('select 1 from pg_database where datname = $1', [d])).rowCount === 0;
  const rowsOf = (d: string) => historyRows(world.urlFor(d), operation, trialStart).catch(async (error) => ((await gone(d)) ? [] : Promise.reject(error)));
  const rows = (await Promise.all(historyDatabases.map(async (d) => (await rowsOf(d)).map((r) => ({ id: Number(r.id), outcome: r.outcome, database: d }))))).flat();
  // A row not finished (the run's start, no end) must read as interrupted through the CLI: nobody holds it now.
  const unfinished = rows.some((r) => !['succeeded', 'failed', 'cancelled'].includes(r.outcome));
  const historyOf = async (d: string): Promise<{ database: string; result: CliResult }> => {
    const h = await stepstone(['history', '--json', ...where.map((w) => (w === url ? world.urlFor(d) : w))], dir);
    return { database: d, result: h.code !== 0 && (await gone(d)) ? { code: 0, stdout: '[]', stderr: '', json: [] } : h };
  };
  const shown = unfinished ? await Promise.all(historyDatabases.map(historyOf)) : [];
  const catalogue = spec.scenario.startsWith('backup/') || spec.scenario.startsWith('restore/') ? catalogueEntries(backupsDir) : [];
  const truthAfter = await trueLockState(observer);
  const rowSet = await lockRowSet(observer);
  const ledger = new Set(await ledgerNames(observer));
  const objects = new Map<string, string[]>();
  for (const m of FIXTURE_MIGRATIONS) objects.set(m.name, await Promise.all(m.creates.map((o) => objectState(observer, o))));
  const partialFiles = () => (existsSync(backupsDir) ? readdirSync(backupsDir).filter((f) => f.includes('.partial')) : []);
  // Stale partials go at the next backup or listing: list once when there are any, then look again.
  const listing = partialFiles().length > 0 ? await stepstone(['backups', ...where], dir) : null;
  const partials = partialFiles();
  const intoComplete = spec.into && intoExists
    ? await withClient(world.urlFor(spec.into), schemaSignature).then((s) => sameLines(s, world.reference), () => false)
    : null;
  return {
    spec,
    operation,
    stepstones: children.filter((c) => c.kind === 'stepstone'),
    truthBefore,
    truthAfter,
    rowSet,
    status,
    rows,
    shown,
    ledger,
    objects,
    orphans,
    partials,
    listing,
    intoExists,
    intoComplete,
    missingFiles: catalogue.filter((b) => !existsSync(join(backupsDir, basename(b.file)))).map((b) => b.id),
    features: world.features,
  };
}

/** converges: after the repair Stepstone offers (unlock a stale lock, repair an interrupted migration), one upgrade reaches the reference. */
async function checkConverges(world: FaultWorld, place: TrialPlace, o: Observed, repairPick: number, nontxPending: boolean): Promise<CheckResult> {
  const { where, dir, url } = place;
  const steps: string[] = [];
  if (o.status.json?.lock?.state === 'stale') {
    const u = await stepstone(['unlock', ...where], dir);
    steps.push(`unlock → ${u.code}`);
  }
  for (const i of (Array.isArray(o.status.json?.interrupted) ? o.status.json.interrupted : []) as { name: string; repairs?: { action: string; available: boolean }[] }[]) {
    const offered = (i.repairs ?? []).filter((r) => r.available);
    if (offered.length === 0) continue;
    const action = offered[repairPick % offered.length].action;
    const r = await stepstone(['repair', i.name, '--action', action, '--yes', ...where], dir);
    steps.push(`repair ${i.name} --action ${action} → ${r.code}${r.code ? `: ${firstLines(r.stderr)}` : ''}`);
  }
  const up = await stepstone(['upgrade', '--yes', '--no-backup', ...where], dir);
  const signature = await withClient(url, schemaSignature);
  const ledgerAfter = await withClient(url, ledgerNames);
  const complete = up.code === 0 && sameLines(signature, world.reference) && ledgerAfter.length === FIXTURE_MIGRATIONS.length;
  const why = `${steps.join(', ')}${steps.length ? ', ' : ''}upgrade → ${up.code}${up.code ? `: ${firstLines(up.stderr)}` : ''}; ${diffLines(signature, world.reference)}`;
  return complete ? ok() : nontxPending ? pendingOn(false, 'nontx', why) : bad(why);
}

/** Databases a killed CLI left under the pending name it creates one under (`stepstone_pending_<host>_<pid>_…`). */
async function pendingDatabasesOf(serverUrl: string, children: Child[]): Promise<string[]> {
  const pids = children.filter((c) => c.kind === 'stepstone').map((c) => String(c.pid));
  const names = await withClient(serverUrl, (c) => databasesLike(c, 'stepstone_pending_')).catch(() => [] as string[]);
  return names.filter((n) => pids.includes(n.split('_')[3]));
}

/** Did the fault hit a running operation? */
function struckBy(spec: TrialSpec, children: Child[]): boolean {
  const stepstones = children.filter((c) => c.kind === 'stepstone');
  if (spec.fault === 'sigkill') return stepstones.some((c) => c.killed);
  if (spec.fault === 'terminate') return stepstones.some((c) => c.note !== null);
  return children.length === 2 && children[1].startedAt < children[0].startedAt + (children[0].endedAt ?? Infinity);
}

function describeChild(c: Child): string {
  return `${c.label}: ${c.killed ? `SIGKILL at ${c.killedAt} ms` : c.hung ? 'hung' : `exit ${c.code}`}${c.note ? `, ${c.note}` : ''}${c.firstOutputAt !== null ? `, first output at ${c.firstOutputAt} ms` : ''} | ${firstLines(c.stderr, 3)}`;
}

/** The catalogue's entries (`<id>.json` beside each backup file). */
function catalogueEntries(dir: string): { id: string; file: string }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .flatMap((f) => {
      try {
        const e = JSON.parse(readFileSync(join(dir, f), 'utf8'));
        return typeof e?.id === 'string' && typeof e?.file === 'string' ? [{ id: e.id, file: e.file }] : [];
      } catch {
        return [];
      }
    });
}


function sameLines(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((l, i) => l === b[i]);
}

function diffLines(actual: string[], reference: string[]): string {
  const extra = actual.filter((l) => !reference.includes(l));
  const missing = reference.filter((l) => !actual.includes(l));
  if (!extra.length && !missing.length) return 'schema as the reference';
  return `schema differs: ${[...missing.map((l) => `missing ${l}`), ...extra.map((l) => `extra ${l}`)].slice(0, 4).join('; ')}`;
}
