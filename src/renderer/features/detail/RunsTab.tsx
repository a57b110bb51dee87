/** Every time this migration ran or was rolled back, from the history. */
import { useApp } from '../../store/store-context';
import { Badge } from '../../components/Badge';
import { duration } from '../../format/format';
import { RelativeTime } from '../../components/RelativeTime';

const tone = { applied: 'ok', reverted: 'info', failed: 'danger', cancelled: 'warn', 'rolled-back': 'warn', skipped: 'neutral', stamped: 'info' } as const;

export function RunsTab({ name }: { name: string }) {
  const history = useApp((s) => s.history);
  const runs = history.flatMap((entry) => entry.steps.filter((s) => s.name === name).map((step) => ({ entry, step })));
  if (runs.length === 0) return <p className="muted">Stepstone has no record of this migration running yet.</p>;
  return (
    <table className="table runs-table">
      <thead>
        <tr>
          <th scope="col">Outcome</th>
          <th scope="col">Direction</th>
          <th scope="col">When</th>
          <th scope="col">Duration</th>
          <th scope="col">Who</th>
        </tr>
      </thead>
      <tbody>
        {runs.map(({ entry, step }) => (
          <tr key={`${entry.id}-${step.name}`}>
            <td>
              <Badge tone={tone[step.outcome]}>{step.outcome}</Badge>
              {step.error && <div className="tl-error">{step.error}</div>}
            </td>
            <td>{step.direction === 'up' ? '↑ up' : '↓ down'}</td>
            <td><RelativeTime iso={entry.startedAt} /></td>
            <td>{duration(step.durationMs)}</td>
            <td>
              {entry.osUser}
              <span className="faint">@{entry.host}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
