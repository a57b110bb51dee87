/** A history entry's kept evidence, in History's expanded row: Log · SQL · Schema change. */
import { useEffect, useState } from 'react';
import { useApp, useAppStore } from '../../store/store-context';
import { Tabs } from '../../components/Tabs';
import { ErrorMessage } from '../../components/ErrorMessage';
import { RunLogView, RunSchemaChange, RunSql } from './EvidenceParts';

type EvidenceTab = 'log' | 'sql' | 'schema';

export function RunEvidencePanel({ historyId }: { historyId: number }) {
  const evidence = useApp((s) => s.runEvidence[historyId]);
  const store = useAppStore();
  const [tab, setTab] = useState<EvidenceTab>('log');
  useEffect(() => {
    void store.getState().loadRunEvidence(historyId);
  }, [historyId, store]);
  if (!evidence || evidence.loading) return <p className="muted">Loading what this run kept…</p>;
  if (evidence.error) return <ErrorMessage error={evidence.error} title="Could not read this run's evidence" />;
  if (!evidence.data) return <p className="muted">No SQL or log was kept for this run (it ran before Stepstone kept them, or through another tool).</p>;
  return (
    <div className="run-evidence">
      <Tabs<EvidenceTab>
        label={`Evidence of run #${historyId}`}
        className="evidence-tabs"
        active={tab}
        onChange={setTab}
        items={[
          { key: 'log', label: 'Log' },
          { key: 'sql', label: 'SQL' },
          { key: 'schema', label: 'Schema change', extra: evidence.data.schemaChange?.changes.length || undefined },
        ]}
      />
      <div role="tabpanel" aria-label={tab === 'log' ? 'Log' : tab === 'sql' ? 'SQL' : 'Schema change'} className="evidence-panel">
        {tab === 'log' && <RunLogView evidence={evidence.data} />}
        {tab === 'sql' && <RunSql evidence={evidence.data} />}
        {tab === 'schema' && <RunSchemaChange evidence={evidence.data} />}
      </div>
    </div>
  );
}
