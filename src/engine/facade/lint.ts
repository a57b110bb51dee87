/** Façade: lint — a plan's statements checked against the lock-aware rules, from one dry run. */
import type { Plan } from '../../shared/plan';
import type { LintThresholds } from '../../shared/lint';
import type { LintResult } from '../lint/lint-plan';
import { type DbSession, dbOf } from './session';

/** One lint rule, as `--rules` lists it. */
export interface LintRuleInfo {
  rule: string;
  title: string;
  fix: string;
}

/** The lint operations of `createEngine`. */
export function lintOperations() {
  return {
    /**
     * Lint `plan` (findings per statement, with the dry run that served them); DRY_RUN_BUSY when locks stopped the dry run,
     * CANCELLED when `signal` aborted it (its running statement is cancelled on the server).
     */
    async lintPlan(
      session: DbSession,
      plan: Plan,
      options: { thresholds?: Partial<LintThresholds>; onLog?: (message: string) => void; signal?: AbortSignal } = {},
    ): Promise<LintResult> {
      return (await import('../lint/lint-plan')).lintPlan(dbOf(session), plan, options);
    },

    /** Every lint rule with its title and fix. */
    async lintRules(): Promise<LintRuleInfo[]> {
      const { LINT_RULES } = await import('../lint/lint-rules');
      return Object.entries(LINT_RULES).map(([rule, r]) => ({ rule, title: r.title, fix: r.fix }));
    },
  };
}
