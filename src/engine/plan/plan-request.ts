/**
 * The plan request a shell's choices make: upgrade (everything pending, up to a migration, or the
 * next n) or rollback (the last batch, n steps, back to a migration, or all). One place for which
 * choices go together, for the CLI's upgrade/rollback/plan/sql and any other shell.
 */
import type { PlanRequest } from '../../shared/plan';
import { StepstoneError } from '../errors';
import { assertNever } from '../../shared/assert-never';

/** What a shell asks for beside the direction; at most one of them. */
export interface PlanTarget {
  /** Up to and including (upgrade) or back to, keeping it (rollback), this migration. */
  to?: string;
  /** The next n pending (upgrade), or the last n applied (rollback). */
  steps?: number;
  /** Roll back every applied migration. */
  all?: boolean;
}

/** The request for `kind` with `target`; INVALID_INPUT when the choices do not go together. */
export function planRequestOf(kind: PlanRequest['kind'], target: PlanTarget): PlanRequest {
  const { to, steps, all } = target;
  switch (kind) {
    case 'upgrade':
      if (all) throw new StepstoneError('INVALID_INPUT', '--all applies to rollback only.', { hint: 'Upgrade applies every pending migration by default.' });
      if (to !== undefined && steps !== undefined) {
        throw new StepstoneError('INVALID_INPUT', 'Choose one of --to and --step.', { hint: '--to <name> applies up to a migration; --step <n> applies the next n.' });
      }
      return { kind: 'upgrade', ...(to !== undefined ? { to } : {}), ...(steps !== undefined ? { steps } : {}) };
    case 'rollback':
      if ([to !== undefined, all === true, steps !== undefined].filter(Boolean).length > 1) {
        throw new StepstoneError('INVALID_INPUT', 'Choose one of --step, --to and --all.');
      }
      if (to !== undefined) return { kind: 'rollback', mode: 'to', to };
      if (all) return { kind: 'rollback', mode: 'all' };
      if (steps !== undefined) return { kind: 'rollback', mode: 'steps', steps };
      return { kind: 'rollback', mode: 'last-batch' };
    default:
      return assertNever(kind, 'plan kind');
  }
}
