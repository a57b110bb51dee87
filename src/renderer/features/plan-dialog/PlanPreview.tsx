/** The dry run of a plan: where it ran, then tabs for the combined schema change and the SQL (failing statement highlighted). */
import { useEffect, useRef } from 'react';
import type { DryRunResult } from '../../../shared/contract';
import type { Loadable } from '../../store/types';
import { CodeView } from '../../components/CodeView';
import { ErrorMessage } from '../../components/ErrorMessage';
import { SchemaDiffView } from '../../components/SchemaDiffView';
import { Tabs } from '../../components/Tabs';
import { buildScript } from '../../format/sql-script';
import { failedStatementIndex } from '../detail/PreviewTab';

export type PreviewTab = 'schema' | 'sql';

export interface PlanPreviewProps {
  dryRun: Loadable<DryRunResult>;
  tab: PreviewTab;
  onTab: (tab: PreviewTab) => void;
  /** Scroll the SQL to this migration's part. */
  focusMigration?: string | null;
}

/** The plan's SQL as one script with a header per migration. */
export function planScript(result: DryRunResult) {
  return buildScript(
    result.migrations.map((m) => ({
      key: m.name,
      header: m.preview === 'skipped' ? `-- ${m.name}: no preview (${m.reason ?? 'skipped'})` : `-- ${m.name} (${m.direction})`,
      empty: m.preview === 'skipped' ? undefined : '-- no SQL',
      statements: m.statements,
      markStatement: failedStatementIndex(m),
    })),
  );
}

export function PlanPreview({ dryRun, tab, onTab, focusMigration = null }: PlanPreviewProps) {
  const panelRef = useRef<HTMLDivElement>(null);
  // "Show in the SQL": bring the SQL (scrolled to the statement) into the dialog's view.
  useEffect(() => {
    if (focusMigration) panelRef.current?.scrollIntoView({ block: 'nearest' });
  }, [focusMigration, tab, dryRun.data]);
  if (dryRun.loading) return <p className="muted">Dry-running the plan (rolled back afterwards)…</p>;
  if (dryRun.error) return <ErrorMessage error={dryRun.error} title="No preview" />;
  const result = dryRun.data;
  if (!result) return null;
  const script = planScript(result);
  const scrollTo = focusMigration ? script.marked.find((l) => l >= (script.partLine.get(focusMigration) ?? 0)) ?? script.partLine.get(focusMigration) : script.marked[0];
  return (
    <div className="plan-preview">
      <p className="faint">Dry run {result.where === 'live' ? 'in the live database, rolled back' : 'on a scratch database'} — {result.whereDetail}</p>
      <Tabs<PreviewTab>
        label="Dry run"
        className="preview-tabs"
        active={tab}
        onChange={onTab}
        items={[
          { key: 'schema', label: 'Schema change', extra: result.combinedDiff.changes.length || undefined },
          { key: 'sql', label: 'SQL', extra: script.marked.length > 0 ? 'failing statement' : undefined },
        ]}
      />
      <div role="tabpanel" aria-label={tab === 'sql' ? 'SQL' : 'Schema change'} ref={panelRef}>
        {tab === 'schema' ? (
          <SchemaDiffView diff={result.combinedDiff} />
        ) : (
          <CodeView code={script.text} language="sql" label="SQL of the plan" highlightLines={script.marked} scrollToLine={scrollTo ?? null} />
        )}
      </div>
    </div>
  );
}
