/** SQL and schema change of an applied migration: what the run that applied it kept. */
import { useEffect } from 'react';
import { useApp, useAppStore } from '../../store/store-context';
import { ErrorMessage } from '../../components/ErrorMessage';
import { RelativeTime } from '../../components/RelativeTime';
import { plural } from '../../format/format';
import { EvidenceSql, RunSchemaChange } from './EvidenceParts';

export function AppliedEvidenceTab({ name, part }: { name: string; part: 'sql' | 'schema' }) {
  const evidence = useApp((s) => s.evidence[name]);
  const store = useAppStore();
  const missing = evidence === undefined;
  useEffect(() => {
    if (missing) void store.getState().loadEvidence(name);
  }, [name, missing, store]);
  if (!evidence || evidence.loading) return <p className="muted">Reading what the run that applied it kept…</p>;
  if (evidence.error) return <ErrorMessage error={evidence.error} title="Could not read what was kept" />;
  const kept = evidence.data;
  if (!kept) {
    return (
      <p className="muted">
        Stepstone kept no SQL for this migration: it was applied before Stepstone kept each run’s SQL, or by another tool (the knex CLI). Its runs are in the Runs tab.
      </p>
    );
  }
  const others = kept.run.steps.length - 1;
  return (
    <div className="detail-preview">
      <p className="faint evidence-note">
        As applied <RelativeTime iso={kept.startedAt} /> by {kept.operation} #{kept.run.historyId}
        {part === 'schema' && others > 0 ? ` — that run applied ${plural(others, 'other migration')} too; the change below is theirs together.` : '.'}
      </p>
      {part === 'sql' ? <EvidenceSql step={kept.step} label={`SQL of ${name} as it ran`} /> : <RunSchemaChange evidence={kept.run} />}
    </div>
  );
}
