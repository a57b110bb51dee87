/** The dry run of a plan: where it ran, the combined schema change, and each migration's SQL. */
import type { DryRunResult } from '../../../shared/contract';
import type { Loadable } from '../../store/types';
import { CodeView } from '../../components/CodeView';
import { ErrorMessage } from '../../components/ErrorMessage';
import { SchemaDiffView } from '../../components/SchemaDiffView';
import { statementsScript } from '../detail/PreviewTab';

export function PlanPreview({ dryRun }: { dryRun: Loadable<DryRunResult> }) {
  if (dryRun.loading) return <p className="muted">Dry-running the plan (rolled back afterwards)…</p>;
  if (dryRun.error) return <ErrorMessage error={dryRun.error} title="No preview" />;
  const result = dryRun.data;
  if (!result) return null;
  const script = result.migrations
    .map((m) =>
      m.preview === 'skipped'
        ? `-- ${m.name}: no preview (${m.reason ?? 'skipped'})`
        : `-- ${m.name} (${m.direction})\n${m.statements.length > 0 ? statementsScript(m.statements) : '-- no SQL'}`,
    )
    .join('\n\n');
  const failures = result.migrations.filter((m) => m.error);
  return (
    <div className="plan-preview">
      <p className="faint">Dry run {result.where === 'live' ? 'in the live database, rolled back' : 'on a scratch database'} — {result.whereDetail}</p>
      {failures.map((m) => (
        <ErrorMessage key={m.name} error={m.error!} title={`The dry run failed in ${m.name}`} />
      ))}
      <h3 className="section-title">Schema change</h3>
      <SchemaDiffView diff={result.combinedDiff} />
      <h3 className="section-title">SQL</h3>
      <CodeView code={script} language="sql" label="SQL of the plan" />
    </div>
  );
}
