/**
 * Environments: two profiles' databases side by side (by default the active project's staging and
 * production): which migrations each has applied, files edited between their runs (checksums), and
 * the schema difference. A side that cannot be read is explained while the other is shown.
 */
import { useEffect } from 'react';
import { useApp, useAppStore } from '../../store/store-context';
import { Button } from '../../components/Button';
import { Badge } from '../../components/Badge';
import { ErrorMessage } from '../../components/ErrorMessage';
import { SchemaDiffView } from '../../components/SchemaDiffView';
import { MiddleTruncate } from '../../components/MiddleTruncate';
import { exactTime, relativeTime } from '../../format/format';
import type { CompareSide, ProfileView } from '../../../shared/contract';
import { errorInfo } from '../../../shared/errors';

/** Staging and production of the active profile's project, else the active profile and another. */
function defaultPair(profiles: ProfileView[], activeId: string | null): [string | null, string | null] {
  const active = profiles.find((p) => p.id === activeId);
  const project = active?.source ? profiles.filter((p) => p.source?.knexfile === active.source!.knexfile) : [];
  const staging = project.find((p) => p.environment === 'staging');
  const production = project.find((p) => p.environment === 'production');
  if (staging && production) return [staging.id, production.id];
  const other = profiles.find((p) => p.id !== activeId && !p.builtIn) ?? profiles.find((p) => p.id !== activeId);
  return [activeId, other?.id ?? null];
}

function SideSummary({ side }: { side: CompareSide }) {
  if (!side.reachable) {
    return (
      <div className="env-side env-unreachable" aria-label={`${side.label}: unreachable`}>
        <h3>{side.label}</h3>
        <ErrorMessage error={side.error ?? errorInfo('CONNECTION_FAILED', 'Could not connect.')} title="Unreachable" />
      </div>
    );
  }
  return (
    <div className="env-side" aria-label={`${side.label}: ${side.applied.length} applied`}>
      <h3>{side.label}</h3>
      <p>
        {side.database} · {side.applied.length} applied · head {side.head ?? '∅'}
      </p>
      <p className="muted">
        {side.lastRun ? (
          <>
            Last {side.lastRun.operation} <time dateTime={side.lastRun.startedAt} title={exactTime(side.lastRun.startedAt)}>{relativeTime(side.lastRun.startedAt)}</time> ({side.lastRun.outcome})
          </>
        ) : (
          'No Stepstone run recorded'
        )}
      </p>
    </div>
  );
}

export function EnvironmentsView() {
  const store = useAppStore();
  const profiles = useApp((s) => s.profiles);
  const activeProfileId = useApp((s) => s.activeProfileId);
  const { leftProfileId, rightProfileId, result } = useApp((s) => s.comparison);
  useEffect(() => {
    if (!leftProfileId && !rightProfileId) {
      const [l, r] = defaultPair(profiles, activeProfileId);
      if (l || r) store.getState().chooseComparison(l, r);
    }
  }, [leftProfileId, rightProfileId, profiles, activeProfileId, store]);
  const report = result.data;
  const names = report ? [...new Set([...report.left.applied.map((m) => m.name), ...report.right.applied.map((m) => m.name)])].sort() : [];
  const has = (side: CompareSide, name: string) => side.applied.some((m) => m.name === name);
  const picker = (label: string, value: string | null, onChange: (id: string) => void) => (
    <label className="env-picker">
      {label}
      <select className="input" value={value ?? ''} onChange={(e) => onChange(e.target.value)}>
        <option value="" disabled>
          Choose a connection
        </option>
        {profiles.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name} ({p.environment})
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <section className="environments" aria-label="Environments">
      <div className="env-toolbar">
        {picker('Left', leftProfileId, (id) => store.getState().chooseComparison(id, rightProfileId))}
        {picker('Right', rightProfileId, (id) => store.getState().chooseComparison(leftProfileId, id))}
        <Button
          variant="primary"
          size="small"
          disabled={!leftProfileId || !rightProfileId || leftProfileId === rightProfileId || result.loading}
          onClick={() => void store.getState().runComparison()}
        >
          {result.loading ? 'Comparing…' : 'Compare'}
        </Button>
      </div>
      {result.error && <ErrorMessage error={result.error} title="Could not compare" />}
      {!report && !result.loading && !result.error && (
        <p className="muted env-hint">Choose two connections (e.g. staging and production) and compare them. Both are only read.</p>
      )}
      {report && (
        <div className="env-report">
          <div className="env-sides">
            <SideSummary side={report.left} />
            <SideSummary side={report.right} />
          </div>
          {report.same && <p className="env-same">Same migrations and schema.</p>}
          {names.length > 0 && (
            <table className="env-table" aria-label="Applied migrations">
              <thead>
                <tr>
                  <th scope="col">Migration</th>
                  {/* The full names head the cards above: here they are cut in the middle (whole in the tooltip). */}
                  <th scope="col" className="env-col-side">
                    <MiddleTruncate text={report.left.label} tail={14} />
                  </th>
                  <th scope="col" className="env-col-side">
                    <MiddleTruncate text={report.right.label} tail={14} />
                  </th>
                </tr>
              </thead>
              <tbody>
                {names.map((name) => {
                  const differs = report.checksumDifferences.some((d) => d.name === name);
                  const missing = report.onlyLeft.includes(name) || report.onlyRight.includes(name);
                  return (
                    <tr key={name} className={differs ? 'env-row-differs' : missing ? 'env-row-missing' : undefined}>
                      <td className="mono">
                        {name}{' '}
                        {differs && (
                          <Badge tone="danger" title="Applied on both from different files: the file was edited between the two runs">
                            different file
                          </Badge>
                        )}
                      </td>
                      <td>{!report.left.reachable ? '?' : has(report.left, name) ? '✓ applied' : '— missing'}</td>
                      <td>{!report.right.reachable ? '?' : has(report.right, name) ? '✓ applied' : '— missing'}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
          <h3 className="env-schema-title">Schema difference{report.schemaDiff ? ` (${report.schemaDiff.changes.length})` : ''}</h3>
          {report.schemaDiff ? <SchemaDiffView diff={report.schemaDiff} emptyText="The schemas are the same." /> : <p className="muted">Not compared: one side could not be read.</p>}
        </div>
      )}
    </section>
  );
}
