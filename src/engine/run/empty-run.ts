/** The result of running a plan with no steps, written once for the engine and every shell. */
import type { Plan } from '../../shared/plan';
import type { RunResult } from '../../shared/run';

/** What running a plan with no steps does: nothing, successfully, in the words the shells show. */
export function emptyRunResult(plan: Plan): RunResult {
  const stateAfter = plan.direction === 'up' ? 'Already up to date.' : 'Nothing to roll back.';
  return { plan, outcome: 'succeeded', steps: [], durationMs: 0, error: null, headAfter: plan.headBefore, stateAfter, historyId: null, backupId: null };
}
