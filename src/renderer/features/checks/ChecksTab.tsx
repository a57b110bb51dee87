/**
 * The Checks tab of a migration: its lint findings (pending migrations: locks, rewrites and live
 * table sizes from a dry run that changes nothing; suppressions with their reasons) and its latest
 * rollback check.
 */
import { useEffect } from 'react';
import { useApp, useAppStore } from '../../store/store-context';
import { Badge } from '../../components/Badge';
import { Button } from '../../components/Button';
import { ErrorMessage } from '../../components/ErrorMessage';
import type { LintFinding } from '../../../shared/contract';
import { rollbackBadge } from './check-summary';

function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} kB`;
  if (bytes < 1024 ** 3) return `${Math.round(bytes / 1024 / 1024)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
}

function Finding({ finding }: { finding: LintFinding }) {
  const tone = finding.suppressed ? 'neutral' : finding.severity === 'error' ? 'danger' : finding.severity === 'warning' ? 'warn' : 'info';
  const facts = [
    finding.table ? `table ${finding.table}` : null,
    finding.lock,
    finding.rewrite ? 'rewrites the table' : null,
    finding.rows !== null ? `~${finding.rows.toLocaleString('en-US')} rows` : null,
    finding.bytes !== null ? formatBytes(finding.bytes) : null,
  ].filter(Boolean);
  return (
    <li className={`check-finding check-${finding.suppressed ? 'suppressed' : finding.severity}`} aria-label={`${finding.suppressed ? 'suppressed ' : ''}${finding.severity} ${finding.rule}`}>
      <div className="check-head">
        <Badge tone={tone}>{finding.suppressed ? `suppressed ${finding.severity}` : finding.severity}</Badge>
        <code className="check-rule">{finding.rule}</code>
        {facts.length > 0 && <span className="check-facts">{facts.join(' · ')}</span>}
      </div>
      <p className="check-message">{finding.message}</p>
      {finding.statement && <pre className="check-statement" title={`Statement ${finding.statement.index}`}>{finding.statement.text}</pre>}
      {finding.suppressed ? (
        <p className="check-reason">
          <strong>Suppressed:</strong> {finding.reason}
        </p>
      ) : (
        finding.severity !== 'info' && (
          <p className="check-fix">
            <strong>Fix:</strong> {finding.fix}
          </p>
        )
      )}
    </li>
  );
}

export function ChecksTab({ name, pending }: { name: string; pending: boolean }) {
  const store = useAppStore();
  const lint = useApp((s) => (s.lint.profileId === s.activeProfileId ? s.lint : null));
  const rollback = useApp((s) => s.rollbackChecks[name]);
  const running = useApp((s) => s.run?.running ?? false);
  useEffect(() => {
    if (pending) void store.getState().loadLint();
  }, [pending, name, store]);
  const findings = lint?.data?.findings.filter((f) => f.migration === name) ?? [];
  const badge = rollbackBadge(rollback, null);
  return (
    <div className="checks-tab">
      <section aria-label="Lint">
        <h3 className="checks-title">Lint</h3>
        {!pending && <p className="muted">Applied: lint checks migrations before they run.</p>}
        {pending && lint?.loading && !lint.data && (
          <p className="muted" role="status">
            Checking the pending migrations: a dry run that is rolled back, with the live table sizes…
          </p>
        )}
        {pending && lint?.error && <ErrorMessage error={lint.error} title="Could not check the pending migrations" />}
        {pending && lint?.data && (
          <>
            <p className="muted checks-where">{lint.data.whereDetail}</p>
            {findings.length === 0 ? (
              <p className="checks-clean">No findings for this migration.</p>
            ) : (
              <ul className="check-list" aria-label="Findings">
                {findings.map((f, i) => (
                  <Finding key={`${f.rule}-${f.statement?.index ?? 0}-${i}`} finding={f} />
                ))}
              </ul>
            )}
            <Button size="small" disabled={running || lint.loading} onClick={() => void store.getState().loadLint(true)}>
              {lint.loading ? 'Checking…' : 'Check again'}
            </Button>
          </>
        )}
      </section>
      <section aria-label="Rollback">
        <h3 className="checks-title">Rollback</h3>
        {badge ? (
          <p>
            <Badge tone={badge.tone}>{badge.text}</Badge> <span className="muted">{badge.title}</span>
          </p>
        ) : (
          <p className="muted">Not tested yet: use “Test rollbacks…” above the timeline.</p>
        )}
      </section>
    </div>
  );
}
