/**
 * The checks of one fault trial, each a function of what the trial observed (the processes, the
 * database's real state read from the catalogs, and what Stepstone said of it), each giving one
 * verdict with a note. The order is the table's; `converges` acts (repair, upgrade) and runs last.
 */
import type { Child } from './processes';
import type { TrialSpec } from './scenarios';
import { FIXTURE_MIGRATIONS, NON_TRANSACTIONAL } from './fixture';

export const CHECKS = ['exit', 'half-applied', 'lock', 'history', 'nontx-repair', 'leftovers', 'converges'] as const;
export type Check = (typeof CHECKS)[number];
/** ok; violated; pending: it would be violated, and the fix is another helper's work not landed yet; na: not exercised. */
export type Verdict = 'ok' | 'violated' | 'pending' | 'na';
export interface CheckResult {
  verdict: Verdict;
  note?: string;
}

export type CliResult = { code: number; stdout: string; stderr: string; json: any };

/** Everything the checks read, gathered once after the trial's processes ended and settled. */
export interface Observed {
  spec: TrialSpec;
  /** The operation's name (upgrade, rollback, backup, restore). */
  operation: string;
  stepstones: Child[];
  /** The lock as the catalogs said before and after `status` ran, and Knex's lock row. */
  truthBefore: 'live' | 'stale' | 'free';
  truthAfter: 'live' | 'stale' | 'free';
  rowSet: boolean | null;
  status: CliResult;
  /** The operation's history rows since the trial started, read directly (ids as numbers), with their database. */
  rows: { id: number; outcome: string; database: string }[];
  /** `history --json` of each database holding rows, when a row was not finished. */
  shown: { database: string; result: CliResult }[];
  ledger: Set<string>;
  objects: Map<string, string[]>;
  /** Backends still connected after the settle (then terminated). */
  orphans: { pid: number; application_name: string; datname: string }[];
  partials: string[];
  listing: CliResult | null;
  intoExists: boolean;
  /** The restore's destination holds the backup's schema (null: no destination). */
  intoComplete: boolean | null;
  /** Catalogue entries whose file is missing. */
  missingFiles: string[];
  features: { historyStart: boolean; nonTransactionalJournal: boolean; leftoverReport: boolean };
}

export const CRASH = /Unhandled 'error' event|node:internal\/|^\s+at .+:\d+:\d+\)?$/m;
const REFUSED = /another process|already running|lock is set|is already locked|LOCKED|changed since the plan|not empty|already exists and/i;

export const ok = (note?: string): CheckResult => ({ verdict: 'ok', note });
export const bad = (note: string): CheckResult => ({ verdict: 'violated', note });
export const na = (note?: string): CheckResult => ({ verdict: 'na', note });
export const pendingOn = (landed: boolean, owner: string, note: string): CheckResult => (landed ? bad(note) : { verdict: 'pending', note: `${note} [fix pending: ${owner}]` });

const crashedOf = (o: Observed) => o.stepstones.filter((c) => !c.killed && CRASH.test(c.stderr));

/**
 * Housekeeping printed before an operation starts: what earlier killed runs left, cleared while a
 * restore checks its destination (trial 236 of seed 20261201 was killed between that line and the
 * restore's start: nothing of the restore had begun, so it has no history row to show).
 */
const HOUSEKEEPING = /left by interrupted runs|the leftover database|stale partial backup file/;

/** Did this process get far enough that the history must show it? */
function started(child: Child, operation: string): boolean {
  if (REFUSED.test(child.stderr)) return false;
  if (operation === 'upgrade' || operation === 'rollback') return /^[↑↓] /m.test(child.stderr) || /\d+ migrations? (applied|rolled back)/.test(child.stdout + child.stderr);
  return (child.stdout + child.stderr)
    .split('\n')
    .some((line) => line.trim().length > 0 && !HOUSEKEEPING.test(line));
}

/** exit: every process the trial did not kill ends by itself, with 0 or 1 and a message, never a crash. */
export function checkExit(o: Observed): CheckResult {
  const notes: string[] = [];
  for (const c of o.stepstones) {
    if (c.killed) continue;
    if (c.hung) notes.push(`${c.label} did not exit within 90 s`);
    else if (c.code !== 0 && c.code !== 1) notes.push(`${c.label} exited with ${c.code ?? 'a signal'}`);
    else if (CRASH.test(c.stderr)) notes.push(`${c.label} crashed: ${firstLines(c.stderr)}`);
  }
  if (notes.length === 0) return ok();
  const onlyCrashes = o.spec.fault === 'terminate' && crashedOf(o).length > 0 && notes.every((n) => / crashed: /.test(n));
  return onlyCrashes ? pendingOn(o.features.historyStart, 'faults', notes.join('; ')) : bad(notes.join('; '));
}

/** half-applied: a transactional migration is applied (row and every object) or absent (neither). */
export function checkHalfApplied(o: Observed): CheckResult {
  const notes: string[] = [];
  for (const m of FIXTURE_MIGRATIONS.filter((x) => x.transactional)) {
    const states = o.objects.get(m.name)!;
    const row = o.ledger.has(m.name);
    if (row ? states.some((s) => s !== 'present') : states.some((s) => s !== 'absent')) notes.push(`${m.name}: ledger ${row ? 'row' : 'no row'}, objects ${states.join(',')}`);
  }
  return notes.length ? bad(notes.join('; ')) : ok();
}

/** lock: status says what the catalogs say; only a killed process may leave Knex's row set. */
export function checkLock(o: Observed): CheckResult {
  const said = o.status.json?.lock?.state;
  if (o.status.code !== 0 || !said) return bad(`status --json failed: ${firstLines(o.status.stderr)}`);
  if (o.truthBefore !== o.truthAfter) return na(`the lock changed while status ran (${o.truthBefore} → ${o.truthAfter})`);
  if (said !== o.truthAfter) return bad(`status says ${said}, the catalogs say ${o.truthAfter}`);
  if (o.rowSet && !o.stepstones.some((c) => c.killed) && !o.stepstones.some((c) => c.hung)) {
    const note = 'Knex lock row left set by a run that ended by itself';
    return o.spec.fault === 'terminate' || crashedOf(o).length > 0 ? pendingOn(o.features.historyStart, 'faults', note) : bad(note);
  }
  return ok();
}

/** history: each Stepstone operation that started is in the history (finished, or read as interrupted once nobody runs it). */
export function checkHistory(o: Observed): CheckResult {
  const must = o.stepstones.filter((c) => started(c, o.operation) || (c.killed && o.rowSet));
  const mustSelf = must.filter((c) => !c.killed && !CRASH.test(c.stderr));
  // Each row as its own database's history shows it (ids repeat across databases).
  const shownAs = (row: { id: number; database: string }) => {
    const json = o.shown.find((h) => h.database === row.database)?.result.json;
    return (Array.isArray(json) ? (json as { id: number; outcome: string }[]) : []).find((e) => Number(e.id) === row.id)?.outcome;
  };
  const unfinished = o.rows.filter((r) => !['succeeded', 'failed', 'cancelled'].includes(r.outcome));
  const stillRunning = unfinished.filter((u) => shownAs(u) !== 'interrupted');
  const failed = o.shown.find((h) => h.result.code !== 0);
  if (failed) return bad(`history --json on ${failed.database} failed: ${firstLines(failed.result.stderr)}`);
  if (stillRunning.length > 0) return bad(`history shows ${stillRunning.length} run(s) as ${stillRunning.map((u) => shownAs(u) ?? `missing (row ${u.id} of ${u.database}, ${u.outcome})`).join(', ')} with no live holder (expected interrupted)`);
  if (must.length === 0) return na('no operation started');
  if (o.rows.length >= must.length) return ok();
  const note = `${must.length} started, ${o.rows.length} in the history`;
  return o.rows.length >= mustSelf.length ? pendingOn(o.features.historyStart, 'faults', `${note} (missing: killed or crashed runs)`) : bad(note);
}

/** nontx-repair: the non-transactional migration is applied with a valid index, absent, or reported with its repair. */
export function checkNonTransactionalRepair(o: Observed): CheckResult {
  const row = o.ledger.has(NON_TRANSACTIONAL.name);
  const [index] = o.objects.get(NON_TRANSACTIONAL.name)!;
  const consistent = row ? index === 'present' : index === 'absent';
  const touched = o.spec.scenario === 'upgrade/concurrently+blocker' || o.spec.fault === 'knex-cli';
  if (consistent) return touched ? ok() : na();
  const note = `${NON_TRANSACTIONAL.name}: ledger ${row ? 'row' : 'no row'}, index ${index}`;
  const reported = Array.isArray(o.status.json?.interrupted) ? o.status.json.interrupted.find((i: { name: string }) => i.name === NON_TRANSACTIONAL.name) : undefined;
  if (!o.features.nonTransactionalJournal) return pendingOn(false, 'nontx', note);
  if (!reported) return bad(`${note}; status does not report it`);
  if (!(reported.repairs ?? []).some((r: { available: boolean }) => r.available)) return bad(`${note}; reported without an available repair`);
  return ok(`reported: ${reported.repairs.map((r: { action: string }) => r.action).join('/')}`);
}

/** leftovers: no half-restored database, partial file or orphaned child that Stepstone does not report. */
export function checkLeftovers(o: Observed): CheckResult {
  const notes: string[] = [];
  const pendingNotes: string[] = [];
  const report = o.features.leftoverReport;
  const spec = o.spec;
  if (o.orphans.length > 0) (report ? notes : pendingNotes).push(`still connected 8 s after the CLI ended: ${o.orphans.map((x) => `${x.application_name || 'a client'} on ${x.datname}`).join(', ')}`);
  if (o.partials.length > 0) (report ? notes : pendingNotes).push(`partial files left after a listing: ${o.partials.join(', ')}`);
  if (spec.into && o.intoExists) {
    const restored = o.stepstones.some((c) => c.code === 0 && !c.killed);
    if (restored && !o.intoComplete) notes.push(`restore said done but ${spec.into} does not hold the backup's schema`);
    if (!restored && !o.intoComplete) {
      const listed = report && JSON.stringify(o.status.json?.leftovers ?? '').includes(spec.into);
      if (!listed) (report ? notes : pendingNotes).push(`${spec.into} left incomplete and not reported by backups`);
    }
  }
  if (o.listing && o.listing.code !== 0) notes.push(`backups failed: ${firstLines(o.listing.stderr)}`);
  for (const id of o.missingFiles) notes.push(`catalogue entry ${id} has no file`);
  const exercised = spec.scenario.startsWith('backup/') || spec.scenario.startsWith('restore/') || o.stepstones.some((c) => c.killed);
  return notes.length ? bad(notes.join('; ')) : pendingNotes.length ? pendingOn(false, 'nontx', pendingNotes.join('; ')) : exercised ? ok() : na();
}

export function firstLines(text: string, n = 2): string {
  return text.trim().split('\n').filter(Boolean).slice(-n).join(' / ').slice(0, 300);
}
