/**
 * A plan while it runs and after: a progress bar (n of N, total elapsed), the steps with live state
 * (the running one kept in view), the log, Cancel saying what it will do, then the outcome banner.
 * While running it can be docked into a small panel so the user can browse other connections.
 */
import { useEffect, useRef, useState } from 'react';
import { useApp, useAppStore } from '../../store/store-context';
import type { RunState } from '../../store/types';
import { Dialog } from '../../components/Dialog';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { typedNameOf } from '../../components/TypedConfirmation';
import { duration } from '../../format/format';
import { splitMigrationName } from '../../store/timeline-model';
import { useNow } from '../../format/use-now';
import { RunBanner } from './RunBanner';
import { cancelEffect, runTitle, stepWord } from './run-words';

export { errorReport } from './RunBanner';

export function RunProgress() {
  const runId = useApp((s) => s.run?.runId);
  // One view per run: nothing of a previous run's view (a confirmation half open) carries over.
  return runId ? <RunView key={runId} /> : null;
}

function RunView() {
  const run = useApp((s) => s.run);
  const docked = useApp((s) => s.runDocked);
  const profile = useApp((s) => s.profiles.find((p) => p.id === s.run?.profileId));
  const store = useAppStore();
  const now = useNow(run?.running ? 250 : null);
  const [confirmRestore, setConfirmRestore] = useState(false);
  if (!run) return null;
  const title = runTitle(run, profile?.name ?? '');

  if (docked && run.running) {
    return (
      <aside className="run-dock" aria-label="Run progress" data-env={profile?.environment}>
        <div className="run-dock-head">
          <strong className="run-dock-title">{title}</strong>
          <Button size="small" onClick={() => store.getState().undockRun()}>
            Show details
          </Button>
        </div>
        <ProgressBar run={run} now={now} />
        <CancelControl run={run} compact />
      </aside>
    );
  }

  return (
    <>
      <Dialog
        title={title}
        onClose={() => store.getState().closeRun()}
        environment={profile?.environment}
        width="wide"
        locked={run.running}
        className="run-dialog"
        footer={<RunFooter run={run} />}
      >
        <RunBanner run={run} onRestore={() => setConfirmRestore(true)} />
        <ProgressBar run={run} now={now} />
        <StepsList run={run} now={now} />
        <h3 className="section-title">Log</h3>
        <RunLog run={run} />
      </Dialog>
      {confirmRestore && run.result?.backupId && (
        <ConfirmDialog
          title="Restore the backup?"
          actionLabel="Restore"
          environment={profile?.environment}
          requireTyped={typedNameOf(run.plan.confirmation)}
          onClose={() => setConfirmRestore(false)}
          onConfirm={async (typed) => {
            await store.getState().restoreAfterRun(typed);
            return null;
          }}
        >
          <p>This replaces the current contents of {run.database || 'the database'} with the backup taken just before this operation.</p>
        </ConfirmDialog>
      )}
    </>
  );
}

function RunFooter({ run }: { run: RunState }) {
  const store = useAppStore();
  const closeRef = useRef<HTMLButtonElement>(null);
  const finished = !run.running;
  // When the run ends, Cancel disappears: move focus to Close so the keyboard is not lost.
  useEffect(() => {
    if (finished) closeRef.current?.focus();
  }, [finished]);
  if (run.running) {
    return (
      <>
        <CancelControl run={run} />
        <Button onClick={() => store.getState().dockRun()} title="Keep it running in a small panel and browse other connections">
          Dock
        </Button>
      </>
    );
  }
  return (
    <Button ref={closeRef} data-autofocus variant="primary" onClick={() => store.getState().closeRun()}>
      Close
    </Button>
  );
}

/** Cancel, with what it does said before it is pressed. */
function CancelControl({ run, compact = false }: { run: RunState; compact?: boolean }) {
  const store = useAppStore();
  const effect = cancelEffect(run);
  return (
    <>
      <span className={`cancel-effect${compact ? ' cancel-effect-compact' : ''}`} id={`cancel-effect-${run.runId}`}>
        {run.cancelling ? 'Cancel requested; waiting for the engine…' : effect}
      </span>
      <Button variant="danger" onClick={() => void store.getState().cancelRun()} disabled={run.cancelling} aria-describedby={`cancel-effect-${run.runId}`}>
        {run.cancelling ? 'Cancelling…' : 'Cancel'}
      </Button>
    </>
  );
}

/** n of N done, and the total time so far. */
function ProgressBar({ run, now }: { run: RunState; now: number }) {
  const done = run.steps.filter((s) => s.state === 'done').length;
  const total = run.steps.length;
  const elapsed = run.running ? now - run.startedAt : run.result?.durationMs ?? (run.endedAt ?? now) - run.startedAt;
  return (
    <div className="run-progress">
      <div
        className="run-progress-bar"
        role="progressbar"
        aria-label="Migrations done"
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={done}
        aria-valuetext={`${done} of ${total}`}
      >
        <span style={{ width: `${total === 0 ? 0 : (done / total) * 100}%` }} />
      </div>
      <span className="run-progress-text">
        {done} of {total} · {duration(Math.max(0, elapsed))} elapsed
      </span>
    </div>
  );
}

function StepsList({ run, now }: { run: RunState; now: number }) {
  const listRef = useRef<HTMLOListElement>(null);
  const runningName = run.steps.find((s) => s.state === 'running')?.name;
  // The running step stays in view, also in a long plan.
  useEffect(() => {
    if (runningName) listRef.current?.querySelector('.run-step-running')?.scrollIntoView({ block: 'nearest' });
  }, [runningName]);
  return (
    <ol className="run-steps" aria-label="Steps" ref={listRef}>
      {run.steps.map((step) => {
        const { prefix, rest } = splitMigrationName(step.name);
        const elapsed = step.state === 'running' && step.startedAt ? now - step.startedAt : step.durationMs;
        return (
          <li key={step.name} className={`run-step run-step-${step.state}`} title={step.name}>
            <span className="run-step-icon" aria-hidden="true">
              {step.state === 'done' ? '✓' : step.state === 'cancelled' ? '■' : step.state === 'failed' ? '!' : step.state === 'rolled-back' ? '↶' : ''}
            </span>
            <span className="mono run-step-name">
              <span className="tl-prefix">{prefix}</span>
              {rest}
            </span>
            <span className="run-step-state">{stepWord[step.state]}</span>
            <span className="run-step-time">{elapsed !== null && elapsed !== undefined ? duration(Math.max(0, elapsed)) : ''}</span>
          </li>
        );
      })}
    </ol>
  );
}

function RunLog({ run }: { run: RunState }) {
  const logRef = useRef<HTMLOListElement>(null);
  useEffect(() => {
    logRef.current?.lastElementChild?.scrollIntoView({ block: 'nearest' });
  }, [run.log.length]);
  return (
    <ol className="run-log mono" ref={logRef} aria-label="Log" tabIndex={0} data-autofocus={run.running ? true : undefined}>
      {run.log.length === 0 && <li className="faint">{run.running ? 'Starting…' : 'No log lines.'}</li>}
      {run.log.map((line, i) => (
        <li key={i} className={`log-${line.level}`}>
          <span className="faint">{new Date(line.at).toLocaleTimeString()}</span> {line.message}
        </li>
      ))}
    </ol>
  );
}
