/** The audit log: one row per operation, filterable, expanding to per-migration results and the error. */
import { Fragment, useId, useState } from 'react';
import type { HistoryEntry, Operation, RunOutcome } from '../../../shared/contract';
import { RUN_OUTCOMES } from '../../../shared/enums';
import { useApp } from '../../store/store-context';
import { Badge } from '../../components/Badge';
import { ErrorMessage } from '../../components/ErrorMessage';
import { duration } from '../../format/format';
import { RelativeTime } from '../../components/RelativeTime';
import { MiddleTruncate } from '../../components/MiddleTruncate';
import { RunEvidencePanel } from '../evidence/RunEvidencePanel';

const operations: Operation[] = ['upgrade', 'rollback', 'unlock', 'restore', 'backup'];
const outcomes: readonly RunOutcome[] = RUN_OUTCOMES;
const outcomeTone = { succeeded: 'ok', failed: 'danger', cancelled: 'warn', running: 'info', interrupted: 'warn' } as const satisfies Record<RunOutcome, string>;

/** The badge's words: an interrupted run says where it stopped. */
function outcomeLabel(entry: HistoryEntry): string {
  const migration = typeof entry.details?.migration === 'string' ? entry.details.migration : null;
  return entry.outcome === 'interrupted' && migration ? `interrupted during ${migration}` : entry.outcome;
}
const stepTone = { applied: 'ok', reverted: 'info', failed: 'danger', cancelled: 'warn', 'rolled-back': 'warn', skipped: 'neutral', stamped: 'info' } as const;

/** "stateAfter" → "State after": the details' keys as words, not code. */
function detailLabel(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function Expanded({ entry }: { entry: HistoryEntry }) {
  return (
    <div className="history-detail">
      {entry.error && <ErrorMessage error={entry.error} />}
      {entry.steps.length > 0 ? (
        <ol className="history-steps" aria-label={`Migrations of ${entry.operation} #${entry.id}`}>
          {entry.steps.map((s) => (
            <li key={`${s.name}-${s.direction}`}>
              <Badge tone={stepTone[s.outcome]}>{s.outcome}</Badge> <span aria-hidden="true">{s.direction === 'up' ? '↑' : '↓'}</span>{' '}
              <span className="mono">{s.name}</span> <span className="faint">{duration(s.durationMs)}</span>
              {s.error && <div className="tl-error">{s.error}</div>}
            </li>
          ))}
        </ol>
      ) : (
        <p className="muted">No migration ran in this operation.</p>
      )}
      {(entry.operation === 'upgrade' || entry.operation === 'rollback') && <RunEvidencePanel historyId={entry.id} />}
      {entry.details && Object.keys(entry.details).length > 0 && (
        <dl className="history-details">
          {Object.entries(entry.details).map(([key, value]) => (
            <div key={key}>
              <dt>{detailLabel(key)}</dt>
              <dd className={typeof value === 'string' ? undefined : 'mono'}>{typeof value === 'string' ? value : JSON.stringify(value)}</dd>
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}

export function HistoryView() {
  const history = useApp((s) => s.history);
  const error = useApp((s) => s.historyError);
  const [operation, setOperation] = useState<Operation | ''>('');
  const [outcome, setOutcome] = useState<RunOutcome | ''>('');
  const [open, setOpen] = useState<Set<number>>(new Set());
  const opId = useId();
  const outId = useId();
  const rows = history.filter((h) => (!operation || h.operation === operation) && (!outcome || h.outcome === outcome));
  const toggle = (id: number) => setOpen((s) => {
    const next = new Set(s);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    return next;
  });
  return (
    <section className="view history-view" aria-label="History">
      <div className="view-toolbar">
        <label htmlFor={opId}>Operation</label>
        <select id={opId} className="input input-small" value={operation} onChange={(e) => setOperation(e.target.value as Operation | '')}>
          <option value="">All</option>
          {operations.map((o) => <option key={o} value={o}>{o}</option>)}
        </select>
        <label htmlFor={outId}>Outcome</label>
        <select id={outId} className="input input-small" value={outcome} onChange={(e) => setOutcome(e.target.value as RunOutcome | '')}>
          <option value="">All</option>
          {outcomes.map((o) => <option key={o} value={o}>{o}</option>)}
        </select>
        <span className="faint">{rows.length} of {history.length}</span>
      </div>
      {error && <ErrorMessage error={error} />}
      {rows.length === 0 ? (
        <p className="empty-state muted">{history.length === 0 ? 'Nothing has happened to this database through Stepstone yet.' : 'No operation matches these filters.'}</p>
      ) : (
        <div className="table-scroll">
          <table className="table history-table">
            <thead>
              <tr>
                <th scope="col"><span className="visually-hidden">Expand</span></th>
                <th scope="col">Outcome</th>
                <th scope="col">Operation</th>
                <th scope="col">From → to</th>
                <th scope="col">Who</th>
                <th scope="col" className="col-host">Host</th>
                <th scope="col">Started</th>
                <th scope="col" className="num">Duration</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((h) => (
                <Fragment key={h.id}>
                  <tr className={`history-row${h.outcome === 'failed' ? ' is-failed' : ''}`} onClick={() => toggle(h.id)}>
                    <td>
                      <button type="button" className="expander" aria-expanded={open.has(h.id)} aria-label={`Details of ${h.operation} #${h.id}`} onClick={(e) => { e.stopPropagation(); toggle(h.id); }}>
                        {open.has(h.id) ? '▾' : '▸'}
                      </button>
                    </td>
                    <td><Badge tone={outcomeTone[h.outcome]}>{outcomeLabel(h)}</Badge></td>
                    <td>{h.operation}</td>
                    <td className="mono history-range">
                      <span className="history-range-inner">
                        {h.headBefore ? <MiddleTruncate text={h.headBefore} tail={18} /> : '∅'} <span aria-hidden="true">→</span>
                        <span className="visually-hidden">to</span> {h.headAfter ? <MiddleTruncate text={h.headAfter} tail={18} /> : '∅'}
                      </span>
                    </td>
                    <td>{h.osUser}</td>
                    <td className="muted col-host">{h.host}</td>
                    <td><RelativeTime iso={h.startedAt} /></td>
                    <td className="num">{duration(h.durationMs)}</td>
                  </tr>
                  {open.has(h.id) && (
                    <tr className="history-expanded">
                      <td />
                      <td colSpan={7}><Expanded entry={h} /></td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
