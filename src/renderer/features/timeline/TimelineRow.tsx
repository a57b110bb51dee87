/** One timeline row: a migration (applied or pending) or a history event between them. */
import type { EventRow, ListedRow, MigrationRow } from '../../store/timeline-model';
import { migrationStateWord, splitMigrationName } from '../../store/timeline-model';
import type { StepState } from '../../store/types';
import { Badge } from '../../components/Badge';
import { duration, firstLine, plural } from '../../format/format';
import { RelativeTime } from '../../components/RelativeTime';
import type { LintSummary } from '../checks/check-summary';
import type { InterruptedMigration } from '../../../shared/contract';

export interface MigrationRowViewProps {
  row: MigrationRow;
  selected: boolean;
  id: string;
  /** Whether it runs in a transaction, when a plan or dry run told us. */
  transactional: boolean | undefined;
  /** Its state in the run in progress, if any. */
  runState: StepState | undefined;
  /** Its unsuppressed lint findings, when a lint covered it (pending rows). */
  lint?: LintSummary;
  /** Its latest rollback check, as a badge. */
  rollback?: { text: string; tone: 'ok' | 'danger' | 'neutral'; title: string } | null;
  onSelect: () => void;
  /** Open the applied-vs-disk diff of an edited migration. */
  onShowEdit?: () => void;
  /** Open the Repair dialog of an interrupted migration. */
  onRepair?: () => void;
}

/** The words a screen reader hears for a migration row. */
export function migrationRowLabel(row: MigrationRow, runState: StepState | undefined, transactional: boolean | undefined): string {
  const parts = [`${row.position} of ${row.total}`, row.name, runState === 'running' ? 'running' : migrationStateWord(row)];
  if (row.kind === 'applied') {
    parts.push(`batch ${row.batch}`);
    if (row.isHead) parts.push('head');
    if (row.edited) parts.push('edited after apply');
    if (row.stamped) parts.push('stamped, not run');
  }
  if (row.outOfOrder) parts.push('out of order');
  if (transactional === false) parts.push('non-transactional');
  return parts.join(', ');
}

/** The row's label with its check badges (lint and rollback) in words. */
export function checksLabel(lint: LintSummary | undefined, rollback: MigrationRowViewProps['rollback']): string {
  const parts: string[] = [];
  if (lint?.destructive) parts.push('destructive');
  if (lint?.errors) parts.push(plural(lint.errors, 'lint error'));
  else if (lint?.warnings) parts.push(plural(lint.warnings, 'lint warning'));
  if (rollback) parts.push(rollback.text);
  return parts.length ? `, ${parts.join(', ')}` : '';
}

export function MigrationRowView({ row, selected, id, transactional, runState, lint, rollback, onSelect, onShowEdit, onRepair }: MigrationRowViewProps) {
  const { prefix, rest } = splitMigrationName(row.name);
  const interrupted = row.interrupted;
  const failed = !interrupted && row.kind === 'pending' && row.lastFailure !== null;
  const running = runState === 'running';
  const icon = running ? (
    <span className="tl-icon tl-icon-running" title="Running" />
  ) : interrupted ? (
    <span className="tl-icon tl-icon-interrupted" title={interrupted.state === 'interrupted' ? 'Interrupted: needs repair' : 'Failed part-way: needs repair'}>
      ⚠
    </span>
  ) : row.kind === 'applied' ? (
    <span className="tl-icon tl-icon-applied" title={row.missing ? 'Applied, file missing' : 'Applied'}>✓</span>
  ) : failed ? (
    <span className="tl-icon tl-icon-failed" title="Last attempt failed">!</span>
  ) : (
    <span className="tl-icon tl-icon-pending" title="Pending">○</span>
  );
  const failureStep = failed ? row.lastFailure?.steps.find((s) => s.name === row.name && s.outcome === 'failed') : undefined;
  const failureText = failed ? failureStep?.error ?? row.lastFailure?.error?.message ?? 'failed' : null;
  return (
    <div
      id={id}
      role="option"
      aria-selected={selected}
      aria-posinset={row.position}
      aria-setsize={row.total}
      aria-label={`${migrationRowLabel(row, runState, transactional)}${checksLabel(row.kind === 'pending' ? lint : undefined, rollback)}`}
      className={`tl-row tl-migration tl-${row.kind}${selected ? ' is-selected' : ''}${failed ? ' is-failed' : ''}${interrupted ? ' is-interrupted' : ''}${row.kind === 'applied' && row.isHead ? ' is-head' : ''}`}
      onMouseDown={(e) => e.preventDefault()}
      onClick={onSelect}
    >
      <span className="tl-gutter">{icon}</span>
      <span className="tl-main">
        <span className="tl-title">
          {/* The name wins the space: badges give way first (they are in the row's label and the detail too). */}
          <span className="tl-name" title={row.name}>
            <span className="tl-prefix">{prefix}</span>
            {rest}
          </span>
          <span className="tl-badges">
            {row.kind === 'applied' && row.isHead && <span className="tl-head" title="Current head: the last applied migration">HEAD</span>}
            {row.kind === 'applied' && <Badge className="tl-batch" title={`Applied in batch ${row.batch}`}>batch {row.batch}</Badge>}
            {row.kind === 'applied' && row.stamped && (
              <Badge tone="info" title="Recorded as applied by baseline or stamp, without running it (the database already had this schema)">
                stamped
              </Badge>
            )}
            {row.kind === 'applied' && row.edited && (
              <button
                type="button"
                className="badge badge-warn badge-button"
                title="The file changed after it was applied: show what changed"
                tabIndex={-1}
                onClick={(e) => {
                  e.stopPropagation();
                  onShowEdit?.();
                }}
              >
                edited
              </button>
            )}
            {row.kind === 'applied' && row.missing && <Badge tone="danger" title="Applied, but its file is gone">missing</Badge>}
            {row.outOfOrder && <Badge tone="warn" title="Older than the newest applied migration (merged from a branch)">out of order</Badge>}
            {transactional === false && <Badge tone="info" title="Sets config.transaction = false: runs outside a transaction">non-transactional</Badge>}
            {row.kind === 'pending' && lint?.destructive && <Badge tone="danger" title="Drops a column or table: its data cannot be brought back by the down migration">destructive</Badge>}
            {row.kind === 'pending' && lint && lint.errors > 0 && <Badge tone="danger" title="Lint errors: blocks or rewrites a big table (see the Checks tab)">{plural(lint.errors, 'lint error')}</Badge>}
            {row.kind === 'pending' && lint && lint.errors === 0 && lint.warnings > 0 && <Badge tone="warn" title="Lint warnings (see the Checks tab)">{plural(lint.warnings, 'lint warning')}</Badge>}
            {rollback && <Badge tone={rollback.tone} title={rollback.title}>{rollback.text}</Badge>}
            {running && <Badge tone="info">running</Badge>}
          </span>
        </span>
        {failureText && <span className="tl-error">{firstLine(failureText)}</span>}
        {interrupted && (
          <span className="tl-interrupted">
            <span className="tl-interrupted-lines" title={interrupted.summary}>
              <span className="tl-interrupted-text">{interruptedHeadline(interrupted)}</span>
              <span className="tl-interrupted-found">Found: {foundText(interrupted)}</span>
            </span>
            {/* Mouse shortcut: the banner above the timeline has the same action in the Tab order. */}
            <button
              type="button"
              className="btn btn-small btn-default tl-repair"
              tabIndex={-1}
              onClick={(e) => {
                e.stopPropagation();
                onRepair?.();
              }}
            >
              Repair…
            </button>
          </span>
        )}
      </span>
      {row.kind === 'applied' && (
        <span className="tl-meta">
          <RelativeTime iso={row.appliedAt} />
          <span className="tl-duration">{duration(row.durationMs)}</span>
          <span className="tl-who">{row.appliedBy ?? ''}</span>
        </span>
      )}
    </div>
  );
}

/** "Interrupted during 20250101_add_index (upgrade)" or "20250101_add_index failed part-way (upgrade)". */
export function interruptedHeadline(entry: InterruptedMigration): string {
  const verb = entry.direction === 'up' ? 'upgrade' : 'rollback';
  return entry.state === 'interrupted' ? `Interrupted during ${entry.name} (${verb})` : `${entry.name} failed part-way (${verb})`;
}

/** What was found, in short: "index public.x exists but is INVALID", "index public.x exists and is complete". */
export function foundText(entry: InterruptedMigration): string {
  if (entry.stillRunning) return `its statement still runs on the server (backend ${entry.stillRunning.pid})`;
  if (!entry.statementsKnown) return 'its SQL could not be read; check what it changed';
  if (!entry.objects.length) return `it ${entry.direction === 'up' ? 'creates' : 'drops'} no index or table to check`;
  return entry.objects
    .map((o) => {
      if (!o.exists) return entry.direction === 'up' ? `${o.kind} ${o.name} does not exist` : `${o.kind} ${o.name} is already gone`;
      if (o.valid === false) return `${o.kind} ${o.name} exists but is INVALID`;
      return entry.direction === 'up' ? `${o.kind} ${o.name} exists and is complete` : `${o.kind} ${o.name} still exists`;
    })
    .join('; ');
}

/** A file listed from the folder while the database is read: no state yet, nothing to act on. */
export function ListedRowView({ row, id }: { row: ListedRow; id: string }) {
  const { prefix, rest } = splitMigrationName(row.name);
  return (
    <div
      id={id}
      role="option"
      aria-selected={false}
      aria-disabled="true"
      aria-posinset={row.position}
      aria-setsize={row.total}
      aria-label={`${row.position} of ${row.total}, ${row.name}, state not read yet`}
      className="tl-row tl-listed"
    >
      <span className="tl-gutter">
        <span className="tl-icon tl-icon-listed" title="Reading the database…" />
      </span>
      <span className="tl-main">
        <span className="tl-title">
          <span className="tl-name">
            <span className="tl-prefix">{prefix}</span>
            {rest}
          </span>
        </span>
      </span>
    </div>
  );
}

const eventIcon: Record<EventRow['event'], { glyph: string; title: string }> = {
  rollback: { glyph: '↶', title: 'Rolled back' },
  failure: { glyph: '!', title: 'Failed' },
  cancelled: { glyph: '■', title: 'Cancelled' },
  restore: { glyph: '⟲', title: 'Restored from a backup' },
};

/** The sentence an event row reads as. */
export function eventSummary(row: EventRow): string {
  const { entry } = row;
  const kind = entry.operation === 'upgrade' ? 'Upgrade' : entry.operation === 'rollback' ? 'Rollback' : 'Restore';
  if (row.event === 'rollback') {
    const reverted = entry.steps.filter((s) => s.outcome === 'reverted').length;
    return `Rolled back ${plural(reverted, 'migration')}${entry.headAfter ? ` to ${entry.headAfter}` : ' to empty'}`;
  }
  if (row.event === 'restore') return `Restored a backup${entry.headAfter ? `; head ${entry.headAfter}` : ''}`;
  if (row.event === 'cancelled') return `${kind} cancelled`;
  const where = entry.error?.migration ?? entry.steps.find((s) => s.outcome === 'failed')?.name;
  return `${kind} failed${where ? ` in ${where}` : ''}`;
}

export function EventRowView({ row }: { row: EventRow }) {
  const icon = eventIcon[row.event];
  const message = row.event === 'failure' ? row.entry.error?.message ?? row.entry.steps.find((s) => s.error)?.error : null;
  const summary = eventSummary(row);
  // Inside the listbox every row is an option: events are disabled ones (read out, never selected).
  return (
    <div
      className={`tl-row tl-event tl-event-${row.event}`}
      role="option"
      aria-disabled="true"
      aria-selected={false}
      data-event={row.event}
      aria-label={`${icon.title}: ${summary}${message ? `: ${firstLine(message)}` : ''}`}
      title={summary}
    >
      <span className="tl-gutter">
        <span className={`tl-icon tl-icon-event-${row.event}`} title={icon.title}>
          {icon.glyph}
        </span>
      </span>
      <span className="tl-main">
        <span className="tl-title tl-event-text">{summary}</span>
        {message && <span className="tl-error">{firstLine(message)}</span>}
      </span>
      <span className="tl-meta">
        <RelativeTime iso={row.entry.startedAt} />
        <span className="tl-duration">{duration(row.entry.durationMs)}</span>
        <span className="tl-who">{row.entry.osUser}</span>
      </span>
    </div>
  );
}
