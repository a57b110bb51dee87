/**
 * A generated migration reviewed before it is written, side by side: the file, the schema change it
 * makes, and how it fared on the shadow database (up, down, up again).
 */
import type { ChangeSummary, SchemaDiff, Verification } from '../../../shared/contract';
import { CodeView } from '../../components/CodeView';
import { SchemaDiffView } from '../../components/SchemaDiffView';
import { Badge } from '../../components/Badge';

const STATUS_WORDS = { matches: 'matches', differs: 'differs', failed: 'failed', irreversible: 'refuses by design', 'not-run': 'not run' } as const;

function directionTone(status: keyof typeof STATUS_WORDS) {
  return status === 'matches' ? 'ok' : status === 'irreversible' ? 'warn' : status === 'not-run' ? 'neutral' : 'danger';
}

/** Each direction's outcome and the differences found; `previous` names what down must give back. */
export function VerificationView({ verification, previous }: { verification: Verification; previous: string }) {
  const rows = [
    ['up', verification.up, 'the desired schema'],
    ['down', verification.down, previous],
    ...(verification.upAgain ? [['up again', verification.upAgain, 'the desired schema'] as const] : []),
  ] as const;
  return (
    <div className="verification" aria-label="Verification">
      <p className={verification.ok ? 'verification-summary is-ok' : 'verification-summary is-bad'} role="status">
        {verification.ok ? 'Verified on a shadow database.' : 'Verification found differences.'}
      </p>
      <ul className="verification-list">
        {rows.map(([label, check, expected]) => (
          <li key={label} className="verification-item">
            <span className="verification-direction">{label}</span>
            <Badge tone={directionTone(check.status)}>{STATUS_WORDS[check.status]}</Badge>
            <span className="muted">{expected}</span>
            {check.error && <div className="verification-error">{check.error}</div>}
            {check.differences.length > 0 && (
              <ul className="verification-differences mono">
                {check.differences.map((d) => (
                  <li key={d}>{d}</li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
      <p className="muted verification-where">{verification.shadow}</p>
      {verification.notes.map((n) => (
        <p key={n} className="muted">
          Note: {n}
        </p>
      ))}
    </div>
  );
}

/** Added / altered / dropped objects as lists (a baseline has no "before" to diff). */
export function SummaryView({ summary }: { summary: ChangeSummary }) {
  const groups = [
    ['Added', summary.added],
    ['Altered', summary.altered],
    ['Dropped', summary.dropped],
    ['Renamed', summary.renamed],
  ] as const;
  return (
    <div className="change-summary">
      {groups
        .filter(([, items]) => items.length > 0)
        .map(([title, items]) => (
          <section key={title} aria-label={title}>
            <h4 className="review-subtitle">
              {title} ({items.length})
            </h4>
            <ul className="change-list mono">
              {items.map((i) => (
                <li key={i}>{i}</li>
              ))}
            </ul>
          </section>
        ))}
    </div>
  );
}

export interface ReviewPanesProps {
  fileName: string;
  content: string;
  summary: ChangeSummary;
  diff?: SchemaDiff;
  verification: Verification | null;
  /** What `down` must give back, in words ("an empty database", "the previous schema"). */
  previous: string;
}

export function ReviewPanes({ fileName, content, summary, diff, verification, previous }: ReviewPanesProps) {
  return (
    <div className="review-panes">
      <section className="review-pane review-file" aria-label="Migration file">
        <h3 className="review-title">
          File <span className="mono muted">{fileName}</span>
        </h3>
        <CodeView code={content} language={fileName.endsWith('.ts') ? 'typescript' : 'javascript'} label={`Generated ${fileName}`} />
      </section>
      <div className="review-side">
        <section className="review-pane" aria-label="Schema change">
          <h3 className="review-title">Schema change</h3>
          {diff ? (
            <>
              {summary.renamed.length > 0 && <SummaryView summary={{ added: [], altered: [], dropped: [], renamed: summary.renamed }} />}
              <SchemaDiffView diff={diff} emptyText={summary.renamed.length ? '' : 'No schema change.'} />
            </>
          ) : (
            <SummaryView summary={summary} />
          )}
        </section>
        <section className="review-pane" aria-label="Verification">
          <h3 className="review-title">Verification</h3>
          {verification ? <VerificationView verification={verification} previous={previous} /> : <p className="muted">Not verified.</p>}
        </section>
      </div>
    </div>
  );
}
