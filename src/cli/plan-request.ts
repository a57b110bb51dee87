/** The plan request of `upgrade`/`rollback` (and `plan`/`sql` of either) from their options. */
import type { PlanRequest } from '../shared/domain';
import { StepstoneError } from '../engine/errors';
import type { CliOptions } from './option-catalog';
import { positiveInt } from './parse-args';

/** `--to <name>` (up to and including it), `--step <n>` (the next n), or every pending migration. */
export function upgradeRequest(options: CliOptions): PlanRequest {
  const step = positiveInt(options.step, 'step');
  const { to } = options;
  if (to !== undefined && step !== undefined) throw new StepstoneError('INVALID_INPUT', 'Choose one of --to and --step.', { hint: '--to <name> applies up to a migration; --step <n> applies the next n.' });
  return { kind: 'upgrade', ...(to !== undefined ? { to } : {}), ...(step !== undefined ? { steps: step } : {}) };
}

/** `--step <n>`, `--to <name>`, `--all`, or the last batch. */
export function rollbackRequest(options: CliOptions): PlanRequest {
  const step = positiveInt(options.step, 'step');
  const { to, all } = options;
  if ([to !== undefined, all === true, step !== undefined].filter(Boolean).length > 1) throw new StepstoneError('INVALID_INPUT', 'Choose one of --step, --to and --all.');
  if (to !== undefined) return { kind: 'rollback', mode: 'to', to };
  if (all) return { kind: 'rollback', mode: 'all' };
  if (step !== undefined) return { kind: 'rollback', mode: 'steps', steps: step };
  return { kind: 'rollback', mode: 'last-batch' };
}
