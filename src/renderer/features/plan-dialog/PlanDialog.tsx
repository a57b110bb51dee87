/**
 * Confirm a plan: what will run, in which order and direction, with the backup step,
 * warnings and an optional dry run. Cancel has the focus; production needs the typed name.
 */
import { useMemo, useState } from 'react';
import type { Plan, PlanRequest, Profile } from '../../../shared/contract';
import type { PlanDialogState } from '../../store/types';
import { useApp, useAppStore } from '../../store/store-context';
import { Dialog } from '../../components/Dialog';
import { Button } from '../../components/Button';
import { ErrorMessage } from '../../components/ErrorMessage';
import { TypedConfirmation, confirmationMatches, typedNameOf, useConfirmationText } from '../../components/TypedConfirmation';
import { plural } from '../../format/format';
import { PlanSteps } from './PlanSteps';
import { PlanPreview, type PreviewTab } from './PlanPreview';
import { PlanFindings, useAcknowledgements } from './PlanFindings';
import { collectPlanFindings, findingsGate } from './plan-findings';

/** "Upgrade 3 migrations" / "Roll back 1 migration". */
export function actionLabel(plan: Plan): string {
  return `${plan.direction === 'up' ? 'Upgrade' : 'Roll back'} ${plural(plan.steps.length, 'migration')}`;
}

/** Where the head ends up; an upgrade without a computed head ends at its last step. */
function headAfterText(plan: Plan): string {
  if (plan.headAfter) return plan.headAfter;
  if (plan.direction === 'up' && plan.steps.length > 0) return plan.steps[plan.steps.length - 1].name;
  return plan.steps.length > 0 ? 'empty' : plan.headBefore ?? 'empty';
}

type RollbackMode = 'last-batch' | 'one-step' | 'all';
const rollbackModes: { mode: RollbackMode; label: string; request: PlanRequest }[] = [
  { mode: 'last-batch', label: 'Last batch', request: { kind: 'rollback', mode: 'last-batch' } },
  { mode: 'one-step', label: 'One step', request: { kind: 'rollback', mode: 'steps', steps: 1 } },
  { mode: 'all', label: 'All', request: { kind: 'rollback', mode: 'all' } },
];

function modeOf(request: PlanRequest): RollbackMode | null {
  if (request.kind !== 'rollback') return null;
  if (request.mode === 'last-batch') return 'last-batch';
  if (request.mode === 'all') return 'all';
  if (request.mode === 'steps' && request.steps === 1) return 'one-step';
  return null;
}

export function PlanDialog() {
  const dialog = useApp((s) => s.planDialog);
  const profile = useApp((s) => s.profiles.find((p) => p.id === s.activeProfileId));
  if (!dialog || !profile) return null;
  // One component per opening: the typed name and the expanders never outlive it.
  return <PlanDialogOpening key={dialog.openingId} dialog={dialog} profile={profile} />;
}

function PlanDialogOpening({ dialog, profile }: { dialog: PlanDialogState; profile: Profile }) {
  const store = useAppStore();
  const drift = useApp((s) => s.drift);
  const database = useApp((s) => s.status?.database ?? '');
  const { plan, request } = dialog;
  // Changing the rollback mode plans something else: the name must be typed again for it.
  const [typed, setTyped] = useConfirmationText(request);
  // Ticks belong to the plan they were given for: a new plan (another mode, a re-plan) starts unticked.
  const [acks, setAcks] = useAcknowledgements(plan);
  const [showPreview, setShowPreview] = useState(false);
  const [previewTab, setPreviewTab] = useState<PreviewTab>('schema');
  const [focusMigration, setFocusMigration] = useState<string | null>(null);

  const isUpgrade = request.kind === 'upgrade';
  const production = profile.environment === 'production';
  const mode = modeOf(request);
  const empty = plan !== null && plan.steps.length === 0;
  const findings = useMemo(
    () => (plan && !empty ? collectPlanFindings({ plan, dryRun: dialog.dryRun, drift, production, dialog }) : []),
    [plan, empty, dialog, drift, production],
  );
  const gate = findingsGate(findings, acks);
  const title = plan
    ? empty
      ? `${isUpgrade ? 'Upgrade' : 'Roll back'} ${profile.name}`
      : `${isUpgrade ? 'Upgrade' : 'Roll back'} ${profile.name}: ${plural(plan.steps.length, 'migration')}`
    : `${isUpgrade ? 'Upgrade' : 'Roll back'} ${profile.name}`;
  // The engine's word on what running this plan asks (the database name typed on production).
  const typedName = typedNameOf(plan?.confirmation);
  const typedOk = typedName === undefined || confirmationMatches(typedName, typed);
  const blocked = !plan || empty || !typedOk || !gate.ready;
  const close = () => store.getState().closePlan();
  const showStatement = (migration: string) => {
    setShowPreview(true);
    setPreviewTab('sql');
    setFocusMigration(migration);
  };

  return (
    <Dialog
      title={title}
      onClose={close}
      environment={profile.environment}
      width="wide"
      className="plan-dialog"
      footer={
        <>
          {plan && !empty && typedName !== undefined && <TypedConfirmation expected={typedName} value={typed} onChange={setTyped} />}
          {plan && !empty && gate.reason && (
            <span className="footer-reason" role="status">
              {gate.reason}
            </span>
          )}
          <Button data-autofocus onClick={close}>
            {empty || dialog.error ? 'Close' : 'Cancel'}
          </Button>
          {plan && !empty && (
            <Button
              variant={isUpgrade ? 'primary' : 'danger'}
              disabled={blocked}
              title={gate.reason ?? undefined}
              onClick={() => void store.getState().execute(typedName !== undefined ? typed.trim() : undefined)}
            >
              {actionLabel(plan)}
            </Button>
          )}
        </>
      }
    >
      <div className="plan-top">
        <p className="plan-target">
          <span className="env-word" data-env={profile.environment}>
            {profile.environment}
          </span>{' '}
          <span className="mono">{database || profile.database}</span>
        </p>
        {plan && (
          <p className="muted plan-heads">
            head <span className="mono">{plan.headBefore ?? 'empty'}</span> → <span className="mono">{headAfterText(plan)}</span>
          </p>
        )}
        {request.kind === 'rollback' && request.mode !== 'to' && (
          <fieldset className="segmented" aria-label="Roll back">
            <legend className="visually-hidden">Roll back</legend>
            {rollbackModes.map((m) => (
              <label key={m.mode} className={`segment${mode === m.mode ? ' is-active' : ''}`}>
                <input
                  type="radio"
                  name="rollback-mode"
                  checked={mode === m.mode}
                  onChange={() => {
                    setShowPreview(false);
                    void store.getState().openPlan(m.request);
                  }}
                />
                {m.label}
              </label>
            ))}
          </fieldset>
        )}
      </div>
      {dialog.loading && <p className="muted">Planning…</p>}
      {dialog.error && <ErrorMessage error={dialog.error} />}
      {empty && (
        <div className="plan-empty" role="status">
          <strong>{isUpgrade ? 'Up to date' : 'Nothing to roll back'}</strong>
          <p className="muted">{isUpgrade ? 'Every migration in the folder is applied.' : 'No applied migration matches this rollback.'}</p>
        </div>
      )}
      {plan && !empty && (
        <>
          <PlanFindings findings={findings} acks={acks} onChange={setAcks} onShowStatement={showStatement} />
          <PlanSteps plan={plan} dryRun={dialog.dryRun.data} />
          <button
            type="button"
            className="disclosure"
            aria-expanded={showPreview}
            onClick={() => {
              setShowPreview(!showPreview);
              if (!showPreview) void store.getState().loadPlanDryRun();
            }}
          >
            <span aria-hidden="true">{showPreview ? '▾' : '▸'}</span> Show SQL and schema change
          </button>
          {showPreview && <PlanPreview dryRun={dialog.dryRun} tab={previewTab} onTab={setPreviewTab} focusMigration={focusMigration} />}
        </>
      )}
    </Dialog>
  );
}
