/**
 * The timeline: a virtualised listbox of migrations with history events where they happened.
 * ↑/↓ and j/k move the selection; Enter opens "Upgrade to here" / "Roll back to here".
 */
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useApp, useAppStore } from '../../store/store-context';
import { buildListingTimeline, buildTimeline, type MigrationRow, type TimelineRow } from '../../store/timeline-model';
import type { StepState } from '../../store/types';
import { EventRowView, ListedRowView, MigrationRowView } from './TimelineRow';
import { filterTimeline, isEmptyQuery, parseTimelineQuery } from '../../store/timeline-filter';
import { Button } from '../../components/Button';
import { type LintSummary, rollbackBadge, summariseLint } from '../checks/check-summary';
import type { StoredRollbackCheck } from '../../../shared/contract';
import { TimelineToolbar } from './TimelineToolbar';
import { AdoptBanner } from '../adopt/AdoptBanner';
import { InterruptedBanner } from '../repair/InterruptedBanner';
import { afterPaint } from '../../format/after-paint';

const rowHeight = (row: TimelineRow): number => {
  if (row.kind === 'divider') return 30;
  if (row.kind === 'event') return row.event === 'failure' ? 46 : 32;
  if ((row.kind === 'pending' || row.kind === 'applied') && row.interrupted) return 64;
  if (row.kind === 'pending' && row.lastFailure) return 46;
  return 32;
};

/** The row a first open shows: the boundary between applied and pending (where the action is), else the last. */
const firstOpenTarget = (rows: readonly TimelineRow[]): number => {
  const divider = rows.findIndex((r) => r.kind === 'divider');
  return divider >= 0 ? divider : rows.length - 1;
};

/**
 * Where the list starts scrolled on a first open: `target` centred in a viewport of `height`, as
 * scrollToIndex(target, { align: 'center' }) puts it. The virtualiser then renders those rows in its
 * first pass, instead of the top rows and, after a scroll event, the right ones (two renders and layouts).
 */
export function centredOffset(rows: readonly TimelineRow[], target: number, height: number): number {
  if (target <= 0) return 0;
  let start = 0;
  for (let i = 0; i < target; i += 1) start += rowHeight(rows[i]);
  let total = start;
  for (let i = target; i < rows.length; i += 1) total += rowHeight(rows[i]);
  return Math.max(0, Math.min(total - height, start + (rowHeight(rows[target]) - height) / 2));
}

/** Rows rendered beyond each edge of the view, for scrolling without blank rows. */
const OVERSCAN = 16;
/**
 * The first paint's margin: the rows in view and a few more. The full margin follows when the
 * browser is next idle; rendered at once it was over half the rows of a first open (32 of ~55),
 * all before the first row could be painted.
 */
const FIRST_PAINT_OVERSCAN = 4;

const optionId = (name: string) => `migration-${name.replace(/[^A-Za-z0-9_-]/g, '_')}`;

/** What a migration row does when clicked: one object for the list's life, so rows can skip re-rendering. */
interface RowActions {
  select(name: string): void;
  showEdit(name: string): void;
  repair(name: string): void;
}

/**
 * A migration row that re-renders only when what it shows changes. The list re-renders on every
 * scroll event (the virtualiser's range and offsets); the first of them comes in the first frame,
 * as the list opens at the boundary, and re-rendering its ~50 rows then cost 28–54 ms before that
 * frame could paint (traces of the 10,000-migration timeline).
 */
const MigrationRowItem = memo(function MigrationRowItem({
  row,
  selected,
  transactional,
  runState,
  lint,
  check,
  actions,
}: {
  row: MigrationRow;
  selected: boolean;
  transactional: boolean | undefined;
  runState: StepState | undefined;
  lint: LintSummary | undefined;
  check: StoredRollbackCheck | undefined;
  actions: RowActions;
}) {
  return (
    <MigrationRowView
      row={row}
      id={optionId(row.name)}
      selected={selected}
      transactional={transactional}
      runState={runState}
      lint={lint}
      rollback={rollbackBadge(check, null)}
      onSelect={() => actions.select(row.name)}
      onShowEdit={() => actions.showEdit(row.name)}
      onRepair={() => actions.repair(row.name)}
    />
  );
});
const EventRowItem = memo(EventRowView);
const ListedRowItem = memo(ListedRowView);
// Above the list, read from the store themselves: not re-rendered by the list's scroll events either.
const Interrupted = memo(InterruptedBanner);
const Adopt = memo(AdoptBanner);
const Toolbar = memo(TimelineToolbar);

export function Timeline() {
  const status = useApp((s) => s.status);
  // The folder's files, shown until the status is in.
  const listing = useApp((s) => (s.status ? null : s.listing));
  const history = useApp((s) => s.history);
  const selectedName = useApp((s) => s.selectedName);
  const known = useApp((s) => s.knownTransactional);
  const run = useApp((s) => s.run);
  const activeProfileId = useApp((s) => s.activeProfileId);
  const lint = useApp((s) => (s.lint.profileId === s.activeProfileId ? s.lint.data : null));
  const rollbackChecks = useApp((s) => s.rollbackChecks);
  const store = useAppStore();
  const lintByName = useMemo(() => summariseLint(lint?.findings ?? []), [lint]);
  // Once the status has answered: asked beside it, the checks' file reads slowed the status down.
  const statusAnswered = useApp((s) => s.status !== null || s.statusError !== null);
  useEffect(() => {
    if (activeProfileId && statusAnswered) return afterPaint(() => void store.getState().loadRollbackChecks()); // after the rows are painted
  }, [activeProfileId, statusAnswered, store]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const actions = useMemo<RowActions>(
    () => ({
      select(name) {
        store.getState().select(name);
        scrollRef.current?.focus();
      },
      showEdit: (name) => store.getState().openEditedDiff(name),
      repair: (name) => store.getState().openRepair(name),
    }),
    [store],
  );

  const full = useMemo(
    () => (status ? buildTimeline(status, history) : listing ? buildListingTimeline(listing) : null),
    [status, history, listing],
  );
  const [filter, setFilter] = useState('');
  const query = useMemo(() => parseTimelineQuery(filter), [filter]);
  const filtering = status !== null && !isEmptyQuery(query);
  const timeline = useMemo(() => (full && filtering ? filterTimeline(full, query) : full), [full, filtering, query]);
  const rows = useMemo(() => timeline?.rows ?? [], [timeline]);
  const runStates = useMemo(() => {
    const map = new Map<string, StepState>();
    if (run?.running && run.profileId === activeProfileId) for (const step of run.steps) map.set(step.name, step.state);
    return map;
  }, [run, activeProfileId]);

  // Stable while the rows are: the virtualiser re-measures every row (10,000 on a big project)
  // whenever getItemKey changes, so a new function on each render would do it on each render.
  const estimateSize = useCallback((i: number) => rowHeight(rows[i]), [rows]);
  const getItemKey = useCallback((i: number) => rows[i].key, [rows]);
  // Read once, when the list first has rows: with the status in (the usual first open), start at the
  // first-open target; the list's height is not known before its first layout, so the window's stands
  // in, and the layout effect below corrects by the difference before anything is painted.
  const initialHeight = typeof window === 'undefined' ? 0 : window.innerHeight;
  const [overscan, setOverscan] = useState(FIRST_PAINT_OVERSCAN);
  const hasRows = rows.length > 0;
  useEffect(() => {
    if (overscan === OVERSCAN || !hasRows) return;
    // After the next paint (the frame's callbacks run before it), when the browser is idle.
    let idle: number | null = null;
    const frame = requestAnimationFrame(() => {
      const widen = () => setOverscan(OVERSCAN);
      idle = typeof requestIdleCallback === 'function' ? requestIdleCallback(widen, { timeout: 500 }) : window.setTimeout(widen, 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      if (idle !== null) (typeof cancelIdleCallback === 'function' ? cancelIdleCallback : clearTimeout)(idle);
    };
  }, [overscan, hasRows]);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize,
    overscan,
    getItemKey,
    initialRect: { width: 0, height: initialHeight },
    initialOffset: () => (status && rows.length > 0 ? centredOffset(rows, firstOpenTarget(rows), initialHeight) : 0),
  });

  // During a run the running migration stays in view.
  const runningName = run?.running && run.profileId === activeProfileId ? run.steps.find((step) => step.state === 'running')?.name : undefined;
  const runningIndex = runningName && timeline ? timeline.rowIndexByName.get(runningName) : undefined;
  useEffect(() => {
    if (runningIndex !== undefined) virtualizer.scrollToIndex(runningIndex, { align: 'auto' });
  }, [runningIndex, virtualizer]);

  const selectedIndex = selectedName && timeline ? timeline.rowIndexByName.get(selectedName) : undefined;
  useEffect(() => {
    if (selectedIndex !== undefined) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);

  // First open: show the boundary between applied and pending (where the action is). A layout effect:
  // the list opens there (initialOffset) and this only corrects by the real height, before the paint.
  const scrolledFor = useRef<object | null>(null);
  useLayoutEffect(() => {
    if (!timeline || scrolledFor.current === status) return;
    const firstOpen = scrolledFor.current === null;
    scrolledFor.current = status;
    if (!firstOpen) return;
    const target = firstOpenTarget(timeline.rows);
    if (target > 0) virtualizer.scrollToIndex(target, { align: 'center' });
  }, [timeline, status, virtualizer]);

  if (!timeline) return null;

  function move(delta: number) {
    if (!timeline || timeline.migrationRowIndexes.length === 0) return;
    const indexes = timeline.migrationRowIndexes;
    const current = selectedIndex === undefined ? -1 : indexes.indexOf(selectedIndex);
    let next: number;
    if (delta === Infinity) next = indexes.length - 1;
    else if (delta === -Infinity) next = 0;
    else if (current < 0) next = delta > 0 ? 0 : indexes.length - 1;
    else next = Math.min(indexes.length - 1, Math.max(0, current + delta));
    const row = timeline.rows[indexes[next]];
    if (row.kind === 'applied' || row.kind === 'pending') store.getState().select(row.name);
  }

  function onKeyDown(event: React.KeyboardEvent) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const keys: Record<string, number> = { ArrowDown: 1, j: 1, ArrowUp: -1, k: -1, PageDown: 10, PageUp: -10, Home: -Infinity, End: Infinity };
    if (event.key in keys) {
      event.preventDefault();
      move(keys[event.key]);
    } else if (event.key === 'Enter' && selectedIndex !== undefined) {
      const row = timeline!.rows[selectedIndex];
      event.preventDefault();
      if (row.kind === 'pending') void store.getState().openPlan({ kind: 'upgrade', to: row.name });
      else if (row.kind === 'applied') void store.getState().openPlan({ kind: 'rollback', mode: 'to', to: row.name });
    }
  }

  /** Select a migration (clearing a filter that hides it) and bring it into view. */
  function jumpTo(name: string | null | undefined) {
    if (!name) return;
    if (timeline && !timeline.rowIndexByName.has(name)) setFilter('');
    store.getState().select(name);
    scrollRef.current?.focus();
  }

  const empty = rows.length === 0;
  const total = full?.migrationRowIndexes.length ?? 0;
  return (
    <section className="timeline" aria-label="Timeline">
      {status && (
        <div className="timeline-toolbar">
          <input
            id="timeline-filter"
            className="input input-small timeline-filter"
            type="search"
            value={filter}
            placeholder="Filter: name, pending, failed, edited, batch:3 (press /)"
            aria-label="Filter migrations"
            aria-keyshortcuts="/"
            title="Words match the name; applied, pending, failed, edited, missing, out of order, head and batch:N narrow by state and batch"
            onChange={(e) => setFilter(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape' && filter) {
                e.stopPropagation();
                setFilter('');
              } else if (e.key === 'ArrowDown' || e.key === 'Enter') {
                e.preventDefault();
                const first = timeline?.migrationRowIndexes[0];
                const row = first !== undefined ? timeline?.rows[first] : undefined;
                if (row && (row.kind === 'applied' || row.kind === 'pending')) jumpTo(row.name);
              }
            }}
          />
          {filtering && (
            <span className="faint timeline-count" role="status">
              {timeline?.migrationRowIndexes.length ?? 0} of {total}
            </span>
          )}
          <Button size="small" variant="ghost" disabled={!status.head} onClick={() => jumpTo(status.head)} title="Select the head (the last applied migration)">
            Head
          </Button>
          <Button size="small" variant="ghost" disabled={status.pending.length === 0} onClick={() => jumpTo(status.pending[0]?.name)} title="Select the first pending migration">
            First pending
          </Button>
        </div>
      )}
      {!status && (
        <p className="timeline-reading" role="status">
          Reading the database… {rows.length} migration file{rows.length === 1 ? '' : 's'} listed from the folder.
        </p>
      )}
      {status && <Interrupted />}
      {status && <Adopt />}
      {status && status.applied.length + status.pending.length > 0 && <Toolbar />}
      {empty && filtering ? (
        <div className="empty-state">
          <p>No migration matches “{filter}”.</p>
          <Button size="small" onClick={() => setFilter('')}>
            Clear the filter
          </Button>
        </div>
      ) : empty ? (
        <div className="empty-state">
          <p>No migrations in this folder yet.</p>
          <p className="muted">Use “New migration…” to create the first one, or write one from a schema that exists already:</p>
          <Button size="small" onClick={() => store.getState().openGenerator()}>
            New migration from changes…
          </Button>
        </div>
      ) : (
        <div
          ref={scrollRef}
          id="migrations-list"
          className="timeline-scroll"
          role="listbox"
          aria-label="Migrations"
          tabIndex={0}
          aria-activedescendant={selectedName && selectedIndex !== undefined ? optionId(selectedName) : undefined}
          onKeyDown={onKeyDown}
        >
          <div className="timeline-inner" style={{ height: virtualizer.getTotalSize() }}>
            {virtualizer.getVirtualItems().map((item) => {
              const row = rows[item.index];
              return (
                <div key={item.key} className="tl-slot" style={{ height: item.size, transform: `translateY(${item.start}px)` }}>
                  {row.kind === 'divider' ? (
                    <div className="tl-divider" aria-hidden="true">
                      <span>{row.pending} pending</span>
                    </div>
                  ) : row.kind === 'event' ? (
                    <EventRowItem row={row} />
                  ) : row.kind === 'listed' ? (
                    <ListedRowItem row={row} id={optionId(row.name)} />
                  ) : (
                    <MigrationRowItem
                      row={row}
                      selected={row.name === selectedName}
                      transactional={known[row.name]}
                      runState={runStates.get(row.name)}
                      lint={lintByName.get(row.name)}
                      check={rollbackChecks[row.name]}
                      actions={actions}
                    />
                  )}
                </div>
              );
            })}
          </div>
        </div>
      )}
    </section>
  );
}
