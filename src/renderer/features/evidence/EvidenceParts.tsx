/** The pieces of a run's kept evidence: a migration's SQL as it ran, the run's log, the run's schema change. */
import type { RunEvidence, StepEvidence } from '../../../shared/contract';
import { CodeView } from '../../components/CodeView';
import { SchemaDiffView } from '../../components/SchemaDiffView';
import { buildScript } from '../../format/sql-script';
import { progressMessage } from '../../format/progress-words';

/** The SQL one migration sent when it ran; a failed step's last statement (the failing one) is marked. */
export function EvidenceSql({ step, label }: { step: StepEvidence; label: string }) {
  if (step.statements.length === 0) return <p className="muted">This migration sent no SQL when it ran.</p>;
  const script = buildScript([{ key: step.name, statements: step.statements, markStatement: step.outcome === 'failed' ? step.statements.length - 1 : null }]);
  return (
    <>
      {step.truncated && <p className="notice notice-warn">Very long: part of the statements or their bindings were not kept.</p>}
      <CodeView code={script.text} language="sql" label={label} highlightLines={script.marked} scrollToLine={script.marked[0] ?? null} />
    </>
  );
}

/** Every migration of the run, one after another, with a header each. */
export function RunSql({ evidence }: { evidence: RunEvidence }) {
  if (evidence.steps.length === 0) return <p className="muted">No migration ran.</p>;
  const script = buildScript(
    evidence.steps.map((s) => ({
      key: `${s.position}`,
      header: `-- ${s.name} (${s.direction}, ${s.outcome})`,
      empty: '-- no SQL',
      statements: s.statements,
      markStatement: s.outcome === 'failed' ? s.statements.length - 1 : null,
    })),
  );
  return <CodeView code={script.text} language="sql" label={`SQL of run #${evidence.historyId}`} highlightLines={script.marked} />;
}

/** The run's log, in the words the run view used live. */
export function RunLogView({ evidence }: { evidence: RunEvidence }) {
  const total = evidence.steps.length;
  if (evidence.log.length === 0) return <p className="muted">No log was kept.</p>;
  return (
    <ol className="run-log mono" aria-label={`Log of run #${evidence.historyId}`}>
      {evidence.log.map((entry, i) => {
        const position = entry.event.type === 'started' ? entry.event.index + 1 : 0;
        const line = progressMessage(entry.event, position, entry.event.type === 'started' ? entry.event.total : total);
        return (
          <li key={i} className={`log-${line.level}`}>
            <span className="faint">{new Date(entry.at).toLocaleTimeString()}</span> {line.message}
          </li>
        );
      })}
    </ol>
  );
}

/** The schema change the run made, with what it compares. */
export function RunSchemaChange({ evidence }: { evidence: RunEvidence }) {
  return (
    <>
      <p className="faint evidence-note">{evidence.schemaChangeNote}</p>
      {evidence.schemaChange && <SchemaDiffView diff={evidence.schemaChange} />}
    </>
  );
}
