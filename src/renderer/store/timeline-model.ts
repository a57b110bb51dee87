/**
 * The timeline as rows: applied migrations in ledger order with history events (rollbacks,
 * failures, cancellations, restores) merged in where they happened, a pending divider, then
 * pending migrations. Pure, so it is tested without a DOM and memoised by the view.
 */
import type { HistoryEntry, InterruptedMigration, StatusView } from '../../shared/contract';

export interface AppliedRow {
  kind: 'applied';
  key: string;
  name: string;
  position: number;
  total: number;
  batch: number;
  appliedAt: string;
  durationMs: number | null;
  appliedBy: string | null;
  edited: boolean;
  missing: boolean;
  /** Recorded as applied by baseline or stamp, without running it. */
  stamped: boolean;
  outOfOrder: boolean;
  isHead: boolean;
  /** Its rollback ran outside a transaction and was interrupted (or failed part-way): what it left, the repairs. */
  interrupted: InterruptedMigration | null;
}

export interface PendingRow {
  kind: 'pending';
  key: string;
  name: string;
  position: number;
  total: number;
  outOfOrder: boolean;
  /** The latest failed attempt to apply it, when that is the last thing that happened to it. */
  lastFailure: HistoryEntry | null;
  /** It ran outside a transaction and was interrupted (or failed part-way): what it left, the repairs. */
  interrupted: InterruptedMigration | null;
}

export interface EventRow {
  kind: 'event';
  key: string;
  event: 'rollback' | 'failure' | 'cancelled' | 'restore';
  entry: HistoryEntry;
}

export interface DividerRow {
  kind: 'divider';
  key: string;
  pending: number;
}

/** A file listed from the folder before the database has said whether it is applied. */
export interface ListedRow {
  kind: 'listed';
  key: string;
  name: string;
  position: number;
  total: number;
}

export type TimelineRow = AppliedRow | PendingRow | EventRow | DividerRow | ListedRow;
export type MigrationRow = AppliedRow | PendingRow;

export interface Timeline {
  rows: TimelineRow[];
  /** Row index of each migration row, in order (keyboard navigation skips events and dividers). */
  migrationRowIndexes: number[];
  rowIndexByName: Map<string, number>;
}

/** Is this history entry something the timeline should show between migrations? */
export function timelineEventOf(entry: HistoryEntry): EventRow['event'] | null {
  if (entry.operation === 'restore') return entry.outcome === 'succeeded' ? 'restore' : 'failure';
  if (entry.operation !== 'upgrade' && entry.operation !== 'rollback') return null;
  if (entry.outcome === 'failed') return 'failure';
  if (entry.outcome === 'cancelled') return 'cancelled';
  return entry.operation === 'rollback' ? 'rollback' : null;
}

const endTime = (entry: HistoryEntry): number => Date.parse(entry.startedAt) + entry.durationMs;

/** What the timeline is built from: the parts of the status it shows. */
export type TimelineStatus = Pick<StatusView, 'applied' | 'pending' | 'head' | 'outOfOrder' | 'interrupted'>;

/** Build the timeline rows from a status and the history (newest first, as `history:list` answers). */
export function buildTimeline(status: TimelineStatus, history: HistoryEntry[]): Timeline {
  const total = status.applied.length + status.pending.length;
  const outOfOrder = new Set(status.outOfOrder);
  // The newest journal entry per migration is the one reported; an upgrade's shows on its pending row, a rollback's on its applied row.
  const interrupted = new Map((status.interrupted ?? []).map((entry) => [entry.name, entry]));
  const events = history
    .map((entry) => ({ entry, event: timelineEventOf(entry), at: endTime(entry) }))
    .filter((e): e is { entry: HistoryEntry; event: EventRow['event']; at: number } => e.event !== null)
    .sort((a, b) => a.at - b.at);

  // A pending migration whose last attempt failed: the newest failed step naming it. A step stopped
  // by the user's Cancel is not the migration's failure, so cancelled runs don't mark it.
  const lastFailure = new Map<string, HistoryEntry>();
  const oldestFirst = [...history].sort((a, b) => endTime(a) - endTime(b));
  for (const entry of oldestFirst) {
    if (entry.outcome === 'failed') for (const step of entry.steps) if (step.outcome === 'failed') lastFailure.set(step.name, entry);
    if (entry.outcome === 'succeeded') for (const step of entry.steps) if (step.outcome === 'applied') lastFailure.delete(step.name);
  }

  const rows: TimelineRow[] = [];
  const migrationRowIndexes: number[] = [];
  const rowIndexByName = new Map<string, number>();
  let nextEvent = 0;
  const pushEventsBefore = (time: number) => {
    while (nextEvent < events.length && events[nextEvent].at < time) {
      const { entry, event } = events[nextEvent++];
      rows.push({ kind: 'event', key: `event-${entry.id}`, event, entry });
    }
  };
  const pushMigration = (row: MigrationRow) => {
    rowIndexByName.set(row.name, rows.length);
    migrationRowIndexes.push(rows.length);
    rows.push(row);
  };

  status.applied.forEach((m, i) => {
    // Dates are parsed only while there are events left to place (none, usually: 10,000 parses saved).
    if (nextEvent < events.length) {
      const at = Date.parse(m.appliedAt);
      if (!Number.isNaN(at)) pushEventsBefore(at);
    }
    pushMigration({
      kind: 'applied',
      key: `applied-${m.name}`,
      name: m.name,
      position: i + 1,
      total,
      batch: m.batch,
      appliedAt: m.appliedAt,
      durationMs: m.durationMs,
      appliedBy: m.appliedBy,
      edited: m.edited,
      missing: m.missing,
      stamped: m.stamped ?? false,
      outOfOrder: outOfOrder.has(m.name),
      isHead: m.name === status.head,
      interrupted: interrupted.get(m.name) ?? null,
    });
  });
  pushEventsBefore(Number.POSITIVE_INFINITY);

  if (status.pending.length > 0) rows.push({ kind: 'divider', key: 'divider', pending: status.pending.length });
  status.pending.forEach((m, i) => {
    pushMigration({
      kind: 'pending',
      key: `pending-${m.name}`,
      name: m.name,
      position: status.applied.length + i + 1,
      total,
      outOfOrder: m.outOfOrder,
      lastFailure: lastFailure.get(m.name) ?? null,
      interrupted: interrupted.get(m.name) ?? null,
    });
  });
  return { rows, migrationRowIndexes, rowIndexByName };
}

/** The timeline while the database is being read: the folder's files in Knex's order, state unknown. */
export function buildListingTimeline(names: readonly string[]): Timeline {
  const rows: ListedRow[] = names.map((name, i) => ({ kind: 'listed', key: `listed-${name}`, name, position: i + 1, total: names.length }));
  return { rows, migrationRowIndexes: [], rowIndexByName: new Map() };
}

/** Split a Knex migration file name into its timestamp prefix and the readable rest. */
export function splitMigrationName(name: string): { prefix: string; rest: string } {
  const match = /^(\d{8,17}[_-]?)(.*)$/.exec(name);
  return match ? { prefix: match[1], rest: match[2] } : { prefix: '', rest: name };
}

/** The state word a migration row is read out with. */
export function migrationStateWord(row: MigrationRow): string {
  if (row.interrupted) return row.interrupted.state === 'interrupted' ? `interrupted during ${row.interrupted.direction === 'up' ? 'upgrade' : 'rollback'}, needs repair` : 'failed part-way, needs repair';
  if (row.kind === 'applied') return row.missing ? 'applied, file missing' : 'applied';
  return row.lastFailure ? 'pending, last attempt failed' : 'pending';
}
