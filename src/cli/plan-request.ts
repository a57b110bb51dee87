/** The plan request of `upgrade`/`rollback` (and `plan`/`sql` of either) from their options; the engine says which go together. */
import type { PlanRequest } from '../shared/plan';
import type { Engine } from '../engine';
import type { CliOptions } from './option-catalog';
import { positiveInt } from './parse-args';

/** `--to <name>` (up to and including it), `--step <n>` (the next n), or every pending migration. */
export function upgradeRequest(engine: Engine, options: CliOptions): PlanRequest {
  return engine.planRequest('upgrade', { to: options.to, steps: positiveInt(options.step, 'step'), all: options.all });
}

/** `--step <n>`, `--to <name>`, `--all`, or the last batch. */
export function rollbackRequest(engine: Engine, options: CliOptions): PlanRequest {
  return engine.planRequest('rollback', { to: options.to, steps: positiveInt(options.step, 'step'), all: options.all });
}
