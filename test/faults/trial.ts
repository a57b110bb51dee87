/**
 * One fault trial: a database from the template of its starting state, the Stepstone operation
 * run as a child process, the fault (SIGKILL, terminated backends, a second Stepstone, the knex
 * CLI), then the checks against the database's real state, then the repair Stepstone offers and
 * one `upgrade`, which must reach the reference schema.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import pg from 'pg';
import { foreignBackends, historyRows, ledgerNames, lockRowSet, objectState, schemaSignature, trueLockState, withClient } from './database-state';
import { FIXTURE_MIGRATIONS, NON_TRANSACTIONAL } from './fixture';
import { type Child, firstOutput, kill, sleep, spawnChild, sweepGroup } from './processes';
import type { TrialSpec } from './scenarios';
import { type FaultWorld, dropDatabase, stepstone } from './world';

export const CHECKS = ['exit', 'half-applied', 'lock', 'history', 'nontx-repair', 'leftovers', 'converges'] as const;
export type Check = (typeof CHECKS)[number];
/** ok; violated; pending: it would be violated, and the fix is another helper's work not landed yet; na: not exercised. */
export type Verdict = 'ok' | 'violated' | 'pending' | 'na';
export interface CheckResult {
  verdict: Verdict;
  note?: string;
}
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

const CRASH = /Unhandled 'error' event|node:internal\/|^\s+at .+:\d+:\d+\)?$/m;
const REFUSED = /another process|already running|lock is set|is already locked|LOCKED|changed since the plan|not empty|already exists and/i;

const ok = (note?: string): CheckResult => ({ verdict: 'ok', note });
const bad = (note: string): CheckResult => ({ verdict: 'violated', note });
const na = (note?: string): CheckResult => ({ verdict: 'na', note });
const pendingOn = (landed: boolean, owner: string, note: string): CheckResult => (landed ? bad(note) : { verdict: 'pending', note: `${note} [fix pending: ${owner}]` });

function operationOf(spec: TrialSpec): string {
  return spec.args[0];
}

/** Did this process get far enough that the history must show it? */
function started(child: Child, operation: string): boolean {
  if (REFUSED.test(child.stderr)) return false;
  if (operation === 'upgrade' || operation === 'rollback') return /^[↑↓] /m.test(child.stderr) || /\d+ migrations? (applied|rolled back)/.test(child.stdout + child.stderr);
  return (child.stdout + child.stderr).trim().length > 0;
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

export async function runTrial(world: FaultWorld, spec: TrialSpec): Promise<TrialResult> {
  const t0 = Date.now();
  const phases: Record<string, number> = {};
  let mark = t0;
  const phase = (name: string) => {
    phases[name] = Date.now() - mark;
    mark = Date.now();
  };
  const trialStart = new Date(t0 - 2000); // history timestamps come from the CLI's clock: same machine
  const db = `${world.prefix}${spec.index}`;
  const databases = [db, ...(spec.into ? [spec.into] : [])];
  const dir = join(world.workDir, `trial-${spec.index}`);
  const home = join(dir, 'home');
  const backupsDir = join(home, 'backups');
  mkdirSync(home, { recursive: true });
  await dropDatabase(world.serverUrl, db);
  if (spec.into) await dropDatabase(world.serverUrl, spec.into);
  await withClient(world.serverUrl, (c) => c.query(`create database "${db}" template "${world.templates[spec.base]}"`));
  const url = world.urlFor(db);
  if (spec.scenario.startsWith('restore/')) cpSync(world.backupsSource, backupsDir, { recursive: true });
  const where = ['--db', url, '--migrations', world.migrations, '--home', home];
  const args = spec.args.map((a) => (a === 'BUILTIN' ? world.backupIds.builtin : a === 'PGDUMP' ? world.backupIds.pg_dump : a));
  const operation = operationOf(spec);
  const children: Child[] = [];
  const observer = new pg.Client({ connectionString: url, application_name: 'fsuite observer' });
  observer.on('error', () => {});
  await observer.connect();
  let blocker: pg.Client | null = null;
  let blockerDone: Promise<void> = Promise.resolve();
  phase('setup');
  try {
    if (spec.scenario === 'upgrade/concurrently+blocker') {
      // A transaction that wrote to the table: CREATE INDEX CONCURRENTLY waits for it to end.
      blocker = new pg.Client({ connectionString: url, application_name: 'fsuite blocker' });
      blocker.on('error', () => {});
      await blocker.connect();
      await blocker.query('begin');
      await blocker.query("insert into fx_events (kind) values ('blocker')");
      const b = blocker;
      blockerDone = sleep(spec.blockerMs).then(() => b.query('commit').then(() => undefined, () => undefined));
    }
    const exceptPids = blocker ? [(blocker as unknown as { processID: number }).processID] : [];
    const timeoutMs = 90_000;
    const start = (label: string) => {
      const c = spawnChild('stepstone', label, [...args, ...where], {}, dir, timeoutMs);
      children.push(c);
      return c;
    };
    const strike = async (target: Child, fault: () => Promise<void>) => {
      if (spec.fromSpawn) await sleep(spec.delayMs);
      else {
        await firstOutput(target, 60_000);
        await sleep(spec.delayMs);
      }
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
          if ((await terminateStepstone(observer, databases, exceptPids).catch(() => 0)) > 0) {
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
        const k = spawnChild('knex', 'knex migrate:latest', ['migrate:latest', '--knexfile', world.knexfile], { FAULTS_DATABASE_URL: url }, dir, timeoutMs);
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
    phase('run');
    await blockerDone;
    await blocker?.end().catch(() => {});
    blocker = null;

    // What a killed CLI left running must end too: a backend of a killed client ends at its next write.
    let orphans: { pid: number; application_name: string; datname: string }[] = [];
    for (let waited = 0; waited < 8000; waited += 100) {
      orphans = await foreignBackends(observer, databases);
      if (orphans.length === 0) break;
      await sleep(100);
    }
    if (orphans.length > 0) {
      await observer.query('select pg_terminate_backend(pid) from pg_stat_activity where pid = any($1::int[])', [orphans.map((o) => o.pid)]);
    }
    for (const c of children) sweepGroup(c);
    phase('settle');

    // The database's truth, and what Stepstone says of it.
    const truthBefore = await trueLockState(observer);
    const backupScenario = spec.scenario.startsWith('backup/') || spec.scenario.startsWith('restore/');
    // status through the CLI, as a user asks (the lock, the ledger, interruptions, leftovers);
    // the history and the catalogue are read directly (a CLI process each would double a trial's cost).
    const status = await stepstone(['status', '--json', ...where], dir);
    // After status: it may clean up what a killed restore left (then that database is gone, as it should be).
    const intoExists = spec.into ? (await observer.query('select 1 from pg_database where datname = $1', [spec.into])).rowCount! > 0 : false;
    const historyDatabases = [db, ...(intoExists ? [spec.into!] : [])];
    const rows = (await Promise.all(historyDatabases.map((d) => historyRows(world.urlFor(d), operation, trialStart)))).flat();
    // A row not finished (the run's start, no end) must read as interrupted through the CLI: nobody holds it now.
    const unfinished = rows.filter((r) => !['succeeded', 'failed', 'cancelled'].includes(r.outcome));
    const shown = unfinished.length
      ? await Promise.all(historyDatabases.map((d) => stepstone(['history', '--json', ...where.map((w) => (w === url ? world.urlFor(d) : w))], dir)))
      : [];
    const catalogue = backupScenario ? catalogueEntries(backupsDir) : [];
    const truthAfter = await trueLockState(observer);
    const rowSet = await lockRowSet(observer);
    const ledger = new Set(await ledgerNames(observer));
    const objects = new Map<string, string[]>();
    for (const m of FIXTURE_MIGRATIONS) objects.set(m.name, await Promise.all(m.creates.map((o) => objectState(observer, o))));
    const partialFiles = () => (existsSync(backupsDir) ? readdirSync(backupsDir).filter((f) => f.includes('.partial')) : []);
    // Stale partials go at the next backup or listing: list once when there are any, then look again.
    const listing = partialFiles().length > 0 ? await stepstone(['backups', ...where], dir) : null;
    const partials = partialFiles();

    phase('observe');
    const checks = {} as Record<Check, CheckResult>;
    const stepstones = children.filter((c) => c.kind === 'stepstone');
    const killedAny = stepstones.some((c) => c.killed);
    const crashed = stepstones.filter((c) => !c.killed && CRASH.test(c.stderr));
    const terminated = spec.fault === 'terminate';
    const conn = world.features.historyStart;

    // exit: every process the trial did not kill ends by itself, with 0 or 1 and a message, never a crash.
    {
      const notes: string[] = [];
      stepstones.forEach((c) => {
        if (c.killed) return;
        if (c.hung) notes.push(`${c.label} did not exit within 90 s`);
        else if (c.code !== 0 && c.code !== 1) notes.push(`${c.label} exited with ${c.code ?? 'a signal'}`);
        else if (CRASH.test(c.stderr)) notes.push(`${c.label} crashed: ${firstLines(c.stderr)}`);
      });
      checks.exit = notes.length === 0 ? ok() : terminated && crashed.length > 0 && notes.every((n) => / crashed: /.test(n)) ? pendingOn(conn, 'faults', notes.join('; ')) : bad(notes.join('; '));
    }

    // half-applied: a transactional migration is applied (row and every object) or absent (neither).
    {
      const notes: string[] = [];
      for (const m of FIXTURE_MIGRATIONS.filter((x) => x.transactional)) {
        const states = objects.get(m.name)!;
        const row = ledger.has(m.name);
        if (row ? states.some((s) => s !== 'present') : states.some((s) => s !== 'absent')) notes.push(`${m.name}: ledger ${row ? 'row' : 'no row'}, objects ${states.join(',')}`);
      }
      checks['half-applied'] = notes.length ? bad(notes.join('; ')) : ok();
    }

    // lock: status says what the catalogs say; only a killed process may leave Knex's row set.
    {
      const said = status.json?.lock?.state;
      if (status.code !== 0 || !said) checks.lock = bad(`status --json failed: ${firstLines(status.stderr)}`);
      else if (truthBefore !== truthAfter) checks.lock = na(`the lock changed while status ran (${truthBefore} → ${truthAfter})`);
      else if (said !== truthAfter) checks.lock = bad(`status says ${said}, the catalogs say ${truthAfter}`);
      else if (rowSet && !killedAny && !stepstones.some((c) => c.hung)) {
        const note = 'Knex lock row left set by a run that ended by itself';
        checks.lock = terminated || crashed.length > 0 ? pendingOn(conn, 'faults', note) : bad(note);
      } else checks.lock = ok();
    }

    // history: each Stepstone operation that started is in the history (finished or interrupted).
    {
      const must = stepstones.filter((c) => started(c, operation) || (c.killed && rowSet));
      const mustSelf = must.filter((c) => !c.killed && !CRASH.test(c.stderr));
      const entries = shown.flatMap((h) => (Array.isArray(h.json) ? h.json : [])) as { id: number; outcome: string }[];
      const stillRunning = unfinished.filter((u) => entries.find((e) => e.id === u.id)?.outcome !== 'interrupted');
      if (shown.some((h) => h.code !== 0)) checks.history = bad(`history --json failed: ${firstLines(shown.find((h) => h.code !== 0)!.stderr)}`);
      else if (stillRunning.length > 0) checks.history = bad(`history shows ${stillRunning.length} run(s) as ${stillRunning.map((u) => entries.find((e) => e.id === u.id)?.outcome ?? u.outcome).join(', ')} with no live holder (expected interrupted)`);
      else if (must.length === 0) checks.history = na('no operation started');
      else if (rows.length >= must.length) checks.history = ok();
      else if (rows.length >= mustSelf.length) checks.history = pendingOn(conn, 'faults', `${must.length} started, ${rows.length} in the history (missing: killed or crashed runs)`);
      else checks.history = bad(`${must.length} started, ${rows.length} in the history`);
    }

    // nontx-repair: the non-transactional migration is applied with a valid index, absent, or reported with its repair.
    {
      const row = ledger.has(NON_TRANSACTIONAL.name);
      const [index] = objects.get(NON_TRANSACTIONAL.name)!;
      const consistent = row ? index === 'present' : index === 'absent';
      const reported = Array.isArray(status.json?.interrupted)
        ? status.json.interrupted.find((i: { name: string }) => i.name === NON_TRANSACTIONAL.name)
        : undefined;
      const touched = spec.scenario === 'upgrade/concurrently+blocker' || spec.fault === 'knex-cli';
      if (consistent) checks['nontx-repair'] = touched ? ok() : na();
      else {
        const note = `${NON_TRANSACTIONAL.name}: ledger ${row ? 'row' : 'no row'}, index ${index}`;
        if (!world.features.nonTransactionalJournal) checks['nontx-repair'] = pendingOn(false, 'nontx', note);
        else if (!reported) checks['nontx-repair'] = bad(`${note}; status does not report it`);
        else if (!(reported.repairs ?? []).some((r: { available: boolean }) => r.available)) checks['nontx-repair'] = bad(`${note}; reported without an available repair`);
        else checks['nontx-repair'] = ok(`reported: ${reported.repairs.map((r: { action: string }) => r.action).join('/')}`);
      }
    }

    // leftovers: no half-restored database, partial file or orphaned child that Stepstone does not report.
    {
      const notes: string[] = [];
      const pendingNotes: string[] = [];
      const report = world.features.leftoverReport;
      if (orphans.length > 0) (report ? notes : pendingNotes).push(`still connected 8 s after the CLI ended: ${orphans.map((o) => `${o.application_name || 'a client'} on ${o.datname}`).join(', ')}`);
      if (partials.length > 0) (report ? notes : pendingNotes).push(`partial files left after a listing: ${partials.join(', ')}`);
      if (spec.into && intoExists) {
        const restored = stepstones.some((c) => c.code === 0 && !c.killed);
        const signature = await withClient(world.urlFor(spec.into), schemaSignature).catch(() => null);
        const complete = signature !== null && sameLines(signature, world.reference);
        if (restored && !complete) notes.push(`restore said done but ${spec.into} does not hold the backup's schema`);
        if (!restored && !complete) {
          const listed = report && JSON.stringify(status.json?.leftovers ?? '').includes(spec.into);
          if (!listed) (report ? notes : pendingNotes).push(`${spec.into} left incomplete and not reported by backups`);
        }
      }
      if (listing && listing.code !== 0) notes.push(`backups failed: ${firstLines(listing.stderr)}`);
      for (const b of catalogue) if (!existsSync(join(backupsDir, basename(b.file)))) notes.push(`catalogue entry ${b.id} has no file`);
      checks.leftovers = notes.length ? bad(notes.join('; ')) : pendingNotes.length ? pendingOn(false, 'nontx', pendingNotes.join('; ')) : backupScenario || killedAny ? ok() : na();
    }

    // converges: after the repair Stepstone offers (unlock a stale lock, repair an interrupted migration), one upgrade reaches the reference.
    {
      const steps: string[] = [];
      if (status.json?.lock?.state === 'stale') {
        const u = await stepstone(['unlock', ...where], dir);
        steps.push(`unlock → ${u.code}`);
      }
      for (const i of (Array.isArray(status.json?.interrupted) ? status.json.interrupted : []) as { name: string; repairs?: { action: string; available: boolean }[] }[]) {
        const offered = (i.repairs ?? []).filter((r) => r.available);
        if (offered.length === 0) continue;
        const action = offered[spec.repairPick % offered.length].action;
        const r = await stepstone(['repair', i.name, '--action', action, '--yes', ...where], dir);
        steps.push(`repair ${i.name} --action ${action} → ${r.code}${r.code ? `: ${firstLines(r.stderr)}` : ''}`);
      }
      const up = await stepstone(['upgrade', '--yes', '--no-backup', ...where], dir);
      const signature = await withClient(url, schemaSignature);
      const ledgerAfter = await withClient(url, ledgerNames);
      const complete = up.code === 0 && sameLines(signature, world.reference) && ledgerAfter.length === FIXTURE_MIGRATIONS.length;
      const nontxBroken = checks['nontx-repair'].verdict === 'pending';
      const why = `${steps.join(', ')}${steps.length ? ', ' : ''}upgrade → ${up.code}${up.code ? `: ${firstLines(up.stderr)}` : ''}; ${diffLines(signature, world.reference)}`;
      phase('converge');
      checks.converges = complete ? ok() : nontxBroken ? pendingOn(false, 'nontx', why) : bad(why);
    }

    const overlapped = children.length === 2 && children[1].startedAt < children[0].startedAt + (children[0].endedAt ?? Infinity);
    const struck = spec.fault === 'sigkill' ? stepstones.some((c) => c.killed) : spec.fault === 'terminate' ? stepstones.some((c) => c.note !== null) : overlapped;
    return {
      spec,
      struck,
      checks,
      phases,
      durationMs: Date.now() - t0,
      processes: children.map((c) => `${c.label}: ${c.killed ? `SIGKILL at ${c.killedAt} ms` : c.hung ? 'hung' : `exit ${c.code}`}${c.note ? `, ${c.note}` : ''}${c.firstOutputAt !== null ? `, first output at ${c.firstOutputAt} ms` : ''} | ${firstLines(c.stderr, 3)}`),
    };
  } finally {
    await blocker?.end().catch(() => {});
    await observer.end().catch(() => {});
    for (const c of children) {
      kill(c);
      sweepGroup(c);
    }
    for (const d of databases) await dropDatabase(world.serverUrl, d).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
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

function firstLines(text: string, n = 2): string {
  return text.trim().split('\n').filter(Boolean).slice(-n).join(' / ').slice(0, 300);
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
