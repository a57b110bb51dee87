/** What a run's state reads as: step words, what Cancel would do right now, the title. */
import type { RunState, RunStep } from '../../store/types';
import { plural } from '../../format/format';
import { actionLabel } from '../plan-dialog/PlanDialog';

export const stepWord: Record<RunStep['state'], string> = {
  waiting: 'waiting',
  running: 'running',
  done: 'done',
  failed: 'failed',
  cancelled: 'cancelled',
  'rolled-back': 'rolled back',
  skipped: 'not run',
};

/** The step running now, with whether it runs in a transaction. */
export function runningStep(run: RunState): { step: RunStep; index: number; transactional: boolean } | null {
  const index = run.steps.findIndex((s) => s.state === 'running');
  if (index < 0) return null;
  const planned = run.plan.steps.find((s) => s.name === run.steps[index].name);
  return { step: run.steps[index], index, transactional: planned?.transactional ?? true };
}

/** What pressing Cancel does now, said before it is pressed. */
export function cancelEffect(run: RunState): string {
  if (run.plan.transaction === 'single') return 'Cancel rolls back the whole plan: nothing is kept.';
  const current = runningStep(run);
  if (!current) return 'Cancel stops before the next migration; the ones done stay applied.';
  if (!current.transactional) return 'Will stop after the current migration (cancelling CREATE INDEX CONCURRENTLY leaves an invalid index)';
  return `Cancel stops ${current.step.name} now and rolls it back; the migrations before it stay applied.`;
}

/** "Upgrading demo: 2 of 5 migrations", "Upgrade 5 migrations: done". */
export function runTitle(run: RunState, profileName: string): string {
  const done = run.steps.filter((s) => s.state === 'done').length;
  if (run.running) return `${run.plan.direction === 'up' ? 'Upgrading' : 'Rolling back'} ${profileName}: ${done} of ${plural(run.steps.length, 'migration')}`;
  const outcome = run.result?.outcome;
  if (outcome === 'succeeded') return `${actionLabel(run.plan)}: done`;
  if (outcome === 'cancelled') return `${actionLabel(run.plan)}: cancelled`;
  return `${actionLabel(run.plan)}: failed`;
}
