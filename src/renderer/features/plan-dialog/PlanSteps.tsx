/**
 * The numbered steps of a plan: "0. Backup before migrating" when the engine decided to take one,
 * then one line per migration. The backup decision and the transaction mode are the plan's own.
 */
import type { DryRunResult, Plan } from '../../../shared/contract';
import { Badge } from '../../components/Badge';
import { splitMigrationName } from '../../store/timeline-model';

/** What the dry run said about a step, as a short badge. */
function dryRunBadge(dryRun: DryRunResult | null, name: string) {
  const m = dryRun?.migrations.find((x) => x.name === name);
  if (!m) return null;
  if (m.error && m.error.code !== 'DRY_RUN_BUSY') return <Badge tone="danger" title={m.error.message}>fails in dry run</Badge>;
  if (m.error) return <Badge tone="warn" title={m.error.message}>not checked (busy)</Badge>;
  if (m.preview === 'skipped') return <Badge tone="neutral" title={m.reason ?? undefined}>not previewed</Badge>;
  return <Badge tone="ok" title={m.preview === 'scratch' ? 'Ran on a scratch copy' : 'Ran and rolled back'}>dry run ok</Badge>;
}

export function PlanSteps({ plan, dryRun = null }: { plan: Plan; dryRun?: DryRunResult | null }) {
  const backup = plan.backup.take;
  return (
    <div className="plan-steps">
      <p className="muted plan-transaction">
        {plan.transaction === 'single'
          ? 'All steps run in one transaction: if one fails, none is kept.'
          : 'Each migration runs in its own transaction: a failure stops after the last one that succeeded.'}
      </p>
      <ol start={backup ? 0 : 1} aria-label="Steps">
        {backup && (
          <li className="plan-step plan-step-backup">
            <span className="plan-num">0.</span>
            <span className="plan-dir" aria-hidden="true">⛁</span>
            <span>Backup before migrating</span>
            <span className="muted plan-backup-reason">{plan.backup.reason}</span>
          </li>
        )}
        {plan.steps.map((step, i) => {
          const { prefix, rest } = splitMigrationName(step.name);
          return (
            <li key={step.name} className="plan-step" title={step.name}>
              <span className="plan-num">{i + 1}.</span>
              <span className={`plan-dir plan-dir-${step.direction}`} title={step.direction === 'up' ? 'up (apply)' : 'down (revert)'}>
                {step.direction === 'up' ? '↑' : '↓'}
              </span>
              <span className="visually-hidden">{step.direction === 'up' ? 'apply' : 'revert'}</span>
              <span className="mono plan-name">
                <span className="tl-prefix">{prefix}</span>
                {rest}
              </span>
              {step.batch !== null && <Badge>batch {step.batch}</Badge>}
              {dryRunBadge(dryRun, step.name)}
              {!step.transactional && (
                <Badge tone="info" title="Sets config.transaction = false">
                  non-transactional
                </Badge>
              )}
            </li>
          );
        })}
      </ol>
      {!backup && <p className="muted plan-backup-reason">No backup first: {plan.backup.reason}</p>}
    </div>
  );
}
