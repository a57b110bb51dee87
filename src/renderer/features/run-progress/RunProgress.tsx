/**
 * A plan while it runs and after: steps with live state and elapsed time, the log, Cancel,
 * then the outcome, the state the database was left in, and recovery actions on failure.
 */
import { useEffect, useRef, useState } from 'react';
import { useApp, useAppStore } from '../../store/store-context';
import type { RunState, RunStep } from '../../store/types';
import { Dialog } from '../../components/Dialog';
import { Button } from '../../components/Button';
import { ErrorMessage } from '../../components/ErrorMessage';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { copyText } from '../../components/CodeView';
import { duration, plural } from '../../format/format';
import { actionLabel } from '../plan-dialog/PlanDialog';
import { splitMigrationName } from '../../store/timeline-model';

const stepWord: Record<RunStep['state'], string> = {
  waiting: 'waiting',
  running: 'running',
  done: 'done',
  failed: 'failed',
  'rolled-back': 'rolled back',
  skipped: 'not run',
};

/** Re-render every `ms` while `active`, for elapsed times. */
function useTicker(active: boolean, ms = 250): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = window.setInterval(() => setNow(Date.now()), ms);
    return () => window.clearInterval(timer);
  }, [active, ms]);
  return now;
}

/** The text "Copy error" puts on the clipboard. */
export function errorReport(run: RunState): string {
  const error = run.result?.error ?? run.error;
  const header = [
    `${actionLabel(run.plan)}: ${run.result?.outcome ?? 'failed'}`,
    error ? `${error.code}: ${error.message}` : '',
    error?.migration ? `Migration: ${error.migration}` : '',
    error?.hint ? `Hint: ${error.hint}` : '',
    run.result ? `State after: ${run.result.stateAfter}` : '',
  ].filter(Boolean);
  return [...header, '', ...run.log.map((l) => `[${l.level}] ${l.message}`)].join('\n');
}

export function RunProgress() {
  const run = useApp((s) => s.run);
  const profile = useApp((s) => s.profiles.find((p) => p.id === s.run?.profileId));
  const database = useApp((s) => s.status?.database ?? '');
  const store = useAppStore();
  const now = useTicker(run?.running ?? false);
  const [confirmRestore, setConfirmRestore] = useState(false);
  const [copied, setCopied] = useState(false);
  const logRef = useRef<HTMLOListElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const finished = run !== null && !run.running;
  // When the run ends, Cancel disappears: move focus to Close so the keyboard is not lost.
  useEffect(() => {
    if (finished) closeRef.current?.focus();
  }, [finished]);
  useEffect(() => {
    logRef.current?.lastElementChild?.scrollIntoView({ block: 'nearest' });
  }, [run?.log.length]);
  if (!run) return null;

  const { result } = run;
  const failed = run.error !== null || (result !== null && result.outcome !== 'succeeded');
  const done = run.steps.filter((s) => s.state === 'done').length;
  const title = run.running
    ? `${run.plan.direction === 'up' ? 'Upgrading' : 'Rolling back'} ${profile?.name ?? ''}: ${done} of ${plural(run.steps.length, 'migration')}`
    : result?.outcome === 'succeeded'
      ? `${actionLabel(run.plan)}: done`
      : result?.outcome === 'cancelled'
        ? `${actionLabel(run.plan)}: cancelled`
        : `${actionLabel(run.plan)}: failed`;
  const error = result?.error ?? run.error;
  const cancelled = result?.outcome === 'cancelled';
  // The step that was running when the user cancelled: a cancel, not a failure of that migration.
  const cancelledIn = cancelled ? run.steps.find((s) => s.state === 'failed')?.name : undefined;
  // Restoring is only worth offering when the run changed something (applied or reverted a migration).
  const changedSomething = result?.steps.some((s) => s.outcome === 'applied' || s.outcome === 'reverted') ?? true;
  // The engine's message starts "<migration> failed: "; the banner already says "Failed in <migration>".
  const failedPrefix = error?.migration ? `${error.migration} failed: ` : null;
  const errorText = error && failedPrefix && error.message.startsWith(failedPrefix) ? error.message.slice(failedPrefix.length) : error?.message;

  return (
    <>
      <Dialog
        title={title}
        onClose={() => store.getState().closeRun()}
        environment={profile?.environment}
        width="wide"
        locked={run.running}
        footer={
          run.running ? (
            <Button variant="danger" onClick={() => void store.getState().cancelRun()} disabled={run.cancelling}>
              {run.cancelling ? 'Cancelling…' : 'Cancel'}
            </Button>
          ) : (
            <Button ref={closeRef} data-autofocus variant="primary" onClick={() => store.getState().closeRun()}>
              Close
            </Button>
          )
        }
      >
        {failed && !run.running && (
          <div className={`run-banner ${cancelled ? 'run-banner-cancelled' : 'run-banner-failed'}`} role="alert">
            <strong>
              {cancelled ? (
                `Cancelled${cancelledIn ? ` during ${cancelledIn}` : ''}.`
              ) : (
                <>
                  Failed
                  {error?.migration ? ` in ${error.migration}` : ''}
                  {error ? `: ${errorText}` : ''}
                </>
              )}
            </strong>
            {result && <p>{result.stateAfter}</p>}
            {error?.hint && <p className="muted">{error.hint}</p>}
            <div className="run-banner-actions">
              {result?.backupId && changedSomething && (
                <Button onClick={() => setConfirmRestore(true)} disabled={run.restore.running || run.restore.done !== null}>
                  Restore the backup taken before this operation
                </Button>
              )}
              <Button
                onClick={async () => {
                  setCopied(await copyText(errorReport(run)));
                  window.setTimeout(() => setCopied(false), 1500);
                }}
              >
                {copied ? 'Copied' : 'Copy error'}
              </Button>
            </div>
            {run.restore.running && <p className="muted">Restoring…</p>}
            {run.restore.done && <p className="notice notice-ok">{run.restore.done}</p>}
            {run.restore.error && <ErrorMessage error={run.restore.error} title="Restore failed" />}
          </div>
        )}
        {!failed && result && (
          <div className="run-banner run-banner-ok" role="status">
            <strong>
              Done in {duration(result.durationMs)}.
            </strong>{' '}
            {result.stateAfter}
          </div>
        )}
        <ol className="run-steps" aria-label="Steps">
          {run.steps.map((step) => {
            const { prefix, rest } = splitMigrationName(step.name);
            const stopped = cancelled && step.state === 'failed';
            const elapsed = step.state === 'running' && step.startedAt ? now - step.startedAt : step.durationMs;
            return (
              <li key={step.name} className={`run-step run-step-${stopped ? 'cancelled' : step.state}`}>
                <span className="run-step-icon" aria-hidden="true">
                  {step.state === 'done' ? '✓' : stopped ? '■' : step.state === 'failed' ? '!' : step.state === 'rolled-back' ? '↶' : ''}
                </span>
                <span className="mono run-step-name">
                  <span className="tl-prefix">{prefix}</span>
                  {rest}
                </span>
                <span className="run-step-state">{stopped ? 'cancelled' : stepWord[step.state]}</span>
                <span className="run-step-time">{elapsed !== null && elapsed !== undefined ? duration(Math.max(0, elapsed)) : ''}</span>
              </li>
            );
          })}
        </ol>
        <h3 className="section-title">Log</h3>
        <ol className="run-log mono" ref={logRef} aria-label="Log" tabIndex={0} data-autofocus={run.running ? true : undefined}>
          {run.log.length === 0 && <li className="faint">{run.running ? 'Starting…' : 'No log lines.'}</li>}
          {run.log.map((line, i) => (
            <li key={i} className={`log-${line.level}`}>
              <span className="faint">{new Date(line.at).toLocaleTimeString()}</span> {line.message}
            </li>
          ))}
        </ol>
      </Dialog>
      {confirmRestore && result?.backupId && (
        <ConfirmDialog
          title="Restore the backup?"
          actionLabel="Restore"
          environment={profile?.environment}
          requireTyped={profile?.environment === 'production' ? database : undefined}
          onClose={() => setConfirmRestore(false)}
          onConfirm={async (typed) => {
            await store.getState().restoreAfterRun(typed);
            return null;
          }}
        >
          <p>This replaces the current contents of {database || 'the database'} with the backup taken just before this operation.</p>
        </ConfirmDialog>
      )}
    </>
  );
}
