/** A polite live region that announces run progress and completion to screen readers. */
import { useApp } from '../../store/store-context';
import { actionLabel } from '../plan-dialog/PlanDialog';

export function RunAnnouncer() {
  const message = useApp((s) => {
    const run = s.run;
    if (!run) return s.backupTask ? (s.backupTask.running ? `${s.backupTask.label}…` : s.backupTask.done ?? s.backupTask.error?.message ?? '') : '';
    if (run.running) {
      const current = run.steps.findIndex((step) => step.state === 'running');
      return current >= 0 ? `Running ${run.steps[current].name}, ${current + 1} of ${run.steps.length}` : `${actionLabel(run.plan)}: starting`;
    }
    if (run.result) return `${actionLabel(run.plan)}: ${run.result.outcome}. ${run.result.stateAfter}`;
    return run.error ? `${actionLabel(run.plan)} refused: ${run.error.message}` : '';
  });
  return (
    <div className="visually-hidden" aria-live="polite" role="status">
      {message}
    </div>
  );
}
