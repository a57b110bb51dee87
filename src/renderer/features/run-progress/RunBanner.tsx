/**
 * How a run ended, in one banner: green done; amber cancelled, or done although Cancel was pressed
 * (it came too late); red failed, with where, what state remains and the recovery actions.
 */
import { useState } from 'react';
import type { RunState } from '../../store/types';
import { Button } from '../../components/Button';
import { ErrorMessage } from '../../components/ErrorMessage';
import { copyText } from '../../components/CodeView';
import { duration } from '../../format/format';
import { actionLabel } from '../plan-dialog/PlanDialog';

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

export interface RunBannerProps {
  run: RunState;
  onRestore: () => void;
}

export function RunBanner({ run, onRestore }: RunBannerProps) {
  const [copied, setCopied] = useState(false);
  const { result } = run;
  if (run.running || (!result && !run.error)) return null;

  if (result?.outcome === 'succeeded') {
    if (run.cancelRequested) {
      return (
        <div className="run-banner run-banner-cancelled" role="alert">
          <strong>Too late to cancel: the run had already finished.</strong>
          <p>{result.stateAfter}</p>
          <p className="muted">Roll back if you did not want these changes.</p>
        </div>
      );
    }
    return (
      <div className="run-banner run-banner-ok" role="status">
        <strong>Done in {duration(result.durationMs)}.</strong> {result.stateAfter}
      </div>
    );
  }

  const error = result?.error ?? run.error;
  const cancelled = result?.outcome === 'cancelled';
  const stoppedIn = cancelled ? run.steps.find((s) => s.state === 'cancelled')?.name : undefined;
  const lastDone = cancelled ? [...run.steps].reverse().find((s) => s.state === 'done')?.name : undefined;
  // Restoring is only worth offering when the run changed something (applied or reverted a migration).
  const changedSomething = result?.steps.some((s) => s.outcome === 'applied' || s.outcome === 'reverted') ?? true;
  // The engine's message starts "<migration> failed: "; the banner already says "Failed in <migration>".
  const failedPrefix = error?.migration ? `${error.migration} failed: ` : null;
  const errorText = error && failedPrefix && error.message.startsWith(failedPrefix) ? error.message.slice(failedPrefix.length) : error?.message;
  return (
    <div className={`run-banner ${cancelled ? 'run-banner-cancelled' : 'run-banner-failed'}`} role="alert">
      <strong>
        {cancelled ? (
          stoppedIn ? `Cancelled during ${stoppedIn}.` : lastDone ? `Cancelled after ${lastDone}.` : 'Cancelled before any migration ran.'
        ) : (
          <>
            Failed
            {error?.migration ? ` in ${error.migration}` : ''}
            {error ? `: ${errorText}` : ''}
          </>
        )}
      </strong>
      {result && <p>{result.stateAfter}</p>}
      {!cancelled && error?.hint && <p className="muted">{error.hint}</p>}
      <div className="run-banner-actions">
        {result?.backupId && changedSomething && (
          <Button onClick={onRestore} disabled={run.restore.running || run.restore.done !== null}>
            Restore the backup taken before this operation
          </Button>
        )}
        <Button
          onClick={async () => {
            setCopied(await copyText(errorReport(run)));
            window.setTimeout(() => setCopied(false), 1500);
          }}
        >
          {copied ? 'Copied' : cancelled ? 'Copy log' : 'Copy error'}
        </Button>
      </div>
      {run.restore.running && <p className="muted">Restoring…</p>}
      {run.restore.done && <p className="notice notice-ok">{run.restore.done}</p>}
      {run.restore.error && <ErrorMessage error={run.restore.error} title="Restore failed" />}
    </div>
  );
}
