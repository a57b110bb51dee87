/**
 * The timeline's filter box: words match the migration's name; state words (applied, pending,
 * failed, edited, missing, out-of-order, head) and `batch:3` narrow by state and batch. Pure, and
 * applied to the built timeline, so the model's own data path stays as it is.
 */
import type { MigrationRow, Timeline, TimelineRow } from './timeline-model';
import { assertNever } from '../../shared/assert-never';

export const STATE_WORDS = ['applied', 'pending', 'failed', 'edited', 'missing', 'out-of-order', 'head'] as const;
export type StateWord = (typeof STATE_WORDS)[number];

export interface TimelineQuery {
  /** Lower-case parts the name must contain, all of them. */
  words: string[];
  /** Any of these states (empty: any state). */
  states: StateWord[];
  batch: number | null;
}

/** Read the box: "users pending", "batch:2 edited", "out of order". */
export function parseTimelineQuery(text: string): TimelineQuery {
  const query: TimelineQuery = { words: [], states: [], batch: null };
  const normalised = text.toLowerCase().replace(/\bout of order\b/g, 'out-of-order').replace(/\bbatch\s+(\d+)\b/g, 'batch:$1');
  for (const token of normalised.split(/\s+/).filter(Boolean)) {
    const batch = /^(?:batch|b):(\d+)$/.exec(token);
    if (batch) query.batch = Number(batch[1]);
    else if ((STATE_WORDS as readonly string[]).includes(token)) query.states.push(token as StateWord);
    else query.words.push(token);
  }
  return query;
}

export function isEmptyQuery(query: TimelineQuery): boolean {
  return query.words.length === 0 && query.states.length === 0 && query.batch === null;
}

function hasState(row: MigrationRow, state: StateWord): boolean {
  switch (state) {
    case 'applied':
      return row.kind === 'applied';
    case 'pending':
      return row.kind === 'pending';
    case 'failed':
      return row.kind === 'pending' && row.lastFailure !== null;
    case 'edited':
      return row.kind === 'applied' && row.edited;
    case 'missing':
      return row.kind === 'applied' && row.missing;
    case 'out-of-order':
      return row.outOfOrder;
    case 'head':
      return row.kind === 'applied' && row.isHead;
    default:
      return assertNever(state, 'state word');
  }
}

/** Does this migration row match? */
export function matchesQuery(row: MigrationRow, query: TimelineQuery): boolean {
  const name = row.name.toLowerCase();
  if (!query.words.every((w) => name.includes(w))) return false;
  if (query.states.length > 0 && !query.states.some((s) => hasState(row, s))) return false;
  if (query.batch !== null && (row.kind !== 'applied' || row.batch !== query.batch)) return false;
  return true;
}

/** The timeline with only the matching migrations (events left out; the divider counts the matching pending ones). */
export function filterTimeline(timeline: Timeline, query: TimelineQuery): Timeline & { matched: number } {
  if (isEmptyQuery(query)) return { ...timeline, matched: timeline.migrationRowIndexes.length };
  const kept = timeline.rows.filter((r): r is MigrationRow => (r.kind === 'applied' || r.kind === 'pending') && matchesQuery(r, query));
  const rows: TimelineRow[] = [];
  const migrationRowIndexes: number[] = [];
  const rowIndexByName = new Map<string, number>();
  const pending = kept.filter((r) => r.kind === 'pending').length;
  let dividerDone = false;
  for (const row of kept) {
    if (row.kind === 'pending' && !dividerDone) {
      rows.push({ kind: 'divider', key: 'divider', pending });
      dividerDone = true;
    }
    rowIndexByName.set(row.name, rows.length);
    migrationRowIndexes.push(rows.length);
    rows.push(row);
  }
  return { rows, migrationRowIndexes, rowIndexByName, matched: kept.length };
}
