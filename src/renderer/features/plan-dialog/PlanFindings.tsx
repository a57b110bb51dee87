/** The plan's findings: errors each with their own acknowledgement (or none possible), warnings under one tick. */
import { useState } from 'react';
import type { PlanFinding, Acknowledgements, FindingGroup } from './plan-findings';
import { groupFindings, noAcknowledgements, warningsKey } from './plan-findings';

/**
 * Acknowledgements belonging to one thing being confirmed (a plan): when it changes (another
 * rollback mode, a re-plan), every tick starts unticked again.
 */
export function useAcknowledgements(confirming: unknown): [Acknowledgements, (next: Acknowledgements) => void] {
  const [state, setState] = useState<{ for: unknown; acks: Acknowledgements }>({ for: confirming, acks: noAcknowledgements });
  const acks = Object.is(state.for, confirming) ? state.acks : noAcknowledgements;
  return [acks, (next) => setState({ for: confirming, acks: next })];
}

export interface PlanFindingsProps {
  findings: PlanFinding[];
  acks: Acknowledgements;
  onChange: (acks: Acknowledgements) => void;
  /** Show this migration's SQL (the failing statement highlighted). */
  onShowStatement?: (migration: string) => void;
}

export function PlanFindings({ findings, acks, onChange, onShowStatement }: PlanFindingsProps) {
  const errors = findings.filter((f) => f.severity === 'error');
  const warnings = findings.filter((f) => f.severity === 'warning');
  const infos = findings.filter((f) => f.severity === 'info');
  if (findings.length === 0) return null;
  const key = warningsKey(findings);
  return (
    <div className="plan-findings">
      {errors.length > 0 && (
        <ul className="finding-list" aria-label="Blocking findings">
          {errors.map((f) => (
            <li key={f.key} className={`finding ${f.inProgress ? 'finding-progress' : 'finding-error'}`} role={f.inProgress ? 'status' : undefined}>
              <div className="finding-head">
                <span className="finding-icon" aria-hidden="true">{f.inProgress ? '' : '!'}</span>
                <strong className="finding-title">{f.title}</strong>
              </div>
              <FindingBody finding={f} onShowStatement={onShowStatement} />
              {f.overridable ? (
                <label className="finding-ack">
                  <input
                    type="checkbox"
                    checked={acks.errors.has(f.key)}
                    onChange={(e) => {
                      const next = new Set(acks.errors);
                      if (e.target.checked) next.add(f.key);
                      else next.delete(f.key);
                      onChange({ ...acks, errors: next });
                    }}
                  />
                  {f.acknowledgeLabel ?? 'Continue anyway'}
                </label>
              ) : (
                !f.inProgress && <p className="finding-blocked">This blocks the plan here.</p>
              )}
            </li>
          ))}
        </ul>
      )}
      {(warnings.length > 0 || infos.length > 0) && (
        <div className="finding-warnings">
          {/* One line per rule and table, expanding to the full cards: many warnings never push the steps out of view. */}
          <div className="finding-scroll">
            {warnings.length > 0 && <CompactFindings label="Warnings" findings={warnings} onShowStatement={onShowStatement} />}
            {infos.length > 0 && <CompactFindings label="Notes" findings={infos} onShowStatement={onShowStatement} />}
          </div>
          {warnings.length > 0 && (
            <label className="finding-ack">
              <input type="checkbox" checked={acks.warningsTickedFor === key} onChange={(e) => onChange({ ...acks, warningsTickedFor: e.target.checked ? key : null })} />
              {warnings.length === 1 ? 'I have read this warning' : `I have read these ${warnings.length} warnings`}
            </label>
          )}
        </div>
      )}
    </div>
  );
}

function FindingBody({ finding, onShowStatement }: { finding: PlanFinding; onShowStatement?: (migration: string) => void }) {
  return (
    <>
      {finding.message && <p className="finding-message">{finding.message}</p>}
      {finding.statement && (
        <div className="finding-statement">
          <span className="faint">Statement {finding.statement.index}</span>
          <pre className="mono">{finding.statement.text}</pre>
          {finding.migration && onShowStatement && (
            <button type="button" className="link-btn" onClick={() => onShowStatement(finding.migration!)}>
              Show in the SQL
            </button>
          )}
        </div>
      )}
      {finding.fix && <p className="finding-fix muted">{finding.fix}</p>}
    </>
  );
}

const ICONS = { error: '!', warning: '⚠', info: 'i' } as const;

/** Warnings or notes as one line each (the same rule on the same table grouped), each expanding to its full cards. */
function CompactFindings({ label, findings, onShowStatement }: { label: string; findings: PlanFinding[]; onShowStatement?: (migration: string) => void }) {
  return (
    <ul className="finding-list finding-list-compact" aria-label={label}>
      {groupFindings(findings).map((g) => (
        <CompactFinding key={g.key} group={g} onShowStatement={onShowStatement} />
      ))}
    </ul>
  );
}

function CompactFinding({ group, onShowStatement }: { group: FindingGroup; onShowStatement?: (migration: string) => void }) {
  const [open, setOpen] = useState(false);
  const severity = group.findings[0].severity;
  const count = group.findings.length;
  return (
    <li className={`finding finding-${severity} finding-compact${open ? ' is-open' : ''}`}>
      <button type="button" className="finding-line" aria-expanded={open} onClick={() => setOpen(!open)}>
        <span className="finding-caret" aria-hidden="true">{open ? '▾' : '▸'}</span>
        <span className="finding-icon" aria-hidden="true">{ICONS[severity]}</span>
        <span className="finding-title">{group.title}</span>
        {count > 1 && <span className="finding-count">{count} statements</span>}
      </button>
      {open &&
        group.findings.map((f) => (
          <div key={f.key} className="finding-detail">
            <FindingBody finding={f} onShowStatement={onShowStatement} />
          </div>
        ))}
    </li>
  );
}
