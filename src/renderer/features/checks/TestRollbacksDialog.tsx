/**
 * "Test rollbacks…": the stairway on a shadow database (never this database): each migration up,
 * down (must give back the schema before it), up again (must give the same schema). Results per
 * migration; they also show on the timeline rows.
 */
import { useApp, useAppStore } from '../../store/store-context';
import { Dialog } from '../../components/Dialog';
import { Button } from '../../components/Button';
import { Badge } from '../../components/Badge';
import { ErrorMessage } from '../../components/ErrorMessage';
import { duration, plural } from '../../format/format';

const RESULT_WORDS = { ok: 'rollback verified', 'not-reversible': 'not reversible', 'down-failed': 'down failed', 'up-failed': 'up failed', 're-up-failed': 're-apply failed' } as const;

export function TestRollbacksDialog() {
  const store = useAppStore();
  const test = useApp((s) => s.rollbackTest)!;
  const database = useApp((s) => s.status?.database ?? '');
  const report = test.report;
  const bad = report?.migrations.filter((m) => m.result !== 'ok') ?? [];
  return (
    <Dialog
      title="Test rollbacks"
      width="wide"
      locked={test.running}
      onClose={() => store.getState().closeRollbackTest()}
      footer={
        <>
          <Button data-autofocus onClick={() => store.getState().closeRollbackTest()} disabled={test.running}>
            Close
          </Button>
          <Button variant="primary" disabled={test.running} onClick={() => void store.getState().runRollbackTest()}>
            {report ? 'Test again' : 'Test rollbacks'}
          </Button>
        </>
      }
    >
      <p>
        Every migration of this project runs <strong>up</strong>, then <strong>down</strong> (the schema must be as before it), then <strong>up</strong> again
        (the schema must be as after the first up), on a shadow database — a temporary database on the same server, dropped afterwards. <strong>{database}</strong> is not touched.
      </p>
      {test.running && (
        <p className="muted" role="status">
          Testing rollbacks on a shadow database…
        </p>
      )}
      {test.error && <ErrorMessage error={test.error} title="Could not test the rollbacks" />}
      {report && (
        <div className="rollback-report" aria-label="Rollback results">
          <p role="status" className={bad.length || report.notChecked.length ? 'rollback-summary is-bad' : 'rollback-summary'}>
            {bad.length || report.notChecked.length
              ? `${plural(bad.length, 'rollback')} not verified${report.notChecked.length ? `, ${report.notChecked.length} not checked` : ''} of ${report.migrations.length + report.notChecked.length}.`
              : `All ${plural(report.migrations.length, 'rollback')} verified in ${duration(report.durationMs)}.`}
          </p>
          <ul className="rollback-list">
            {report.migrations.map((m) => (
              <li key={m.migration} className={`rollback-item rollback-${m.result}`}>
                <Badge tone={m.result === 'ok' ? 'ok' : 'danger'}>{RESULT_WORDS[m.result]}</Badge> <span className="rollback-name">{m.migration}</span>
                {m.result !== 'ok' && <div className="rollback-message">{m.message}</div>}
              </li>
            ))}
            {report.notChecked.map((name) => (
              <li key={name} className="rollback-item rollback-not-checked">
                <Badge>not checked</Badge> <span className="rollback-name">{name}</span>
              </li>
            ))}
          </ul>
          <p className="muted">{report.shadow}</p>
        </div>
      )}
    </Dialog>
  );
}
