/**
 * Suppression comments in a migration file: `stepstone-lint-ignore <rule>[, <rule>…] -- <reason>`
 * on a line comment silences those rules for that migration. A comment without a reason, or
 * naming a rule that does not exist, suppresses nothing and is reported itself.
 */
import { LINT_RULES, UNSUPPRESSIBLE, isLintRuleId, type LintRuleId } from './lint-rules';

export interface Suppression {
  rule: LintRuleId;
  reason: string;
  line: number;
}

/** A malformed suppression comment: which rule it becomes, and the message. */
export interface SuppressionProblem {
  rule: 'suppression-without-reason' | 'suppression-unknown-rule';
  line: number;
  message: string;
}

export interface SuppressionsOfFile {
  suppressions: Suppression[];
  problems: SuppressionProblem[];
}

const MARKER = /stepstone-lint-ignore\b(.*)$/;

/** Reads every suppression comment of `source` (the migration file's text). */
export function readSuppressions(source: string): SuppressionsOfFile {
  const suppressions: Suppression[] = [];
  const problems: SuppressionProblem[] = [];
  source.split(/\r?\n/).forEach((text, i) => {
    const match = MARKER.exec(text);
    if (!match) return;
    const line = i + 1;
    // The comment ends at a block comment's close; the reason follows the first " -- ".
    const body = match[1].replace(/\*\/.*$/, '').trim();
    const split = /(^|\s)--(\s|$)/.exec(body);
    const rulesText = (split ? body.slice(0, split.index) : body).trim();
    const reason = split ? body.slice(split.index + split[0].length).trim() : '';
    const rules = rulesText.split(/[\s,]+/).filter(Boolean);
    if (rules.length === 0) {
      problems.push({ rule: 'suppression-unknown-rule', line, message: `Line ${line}: stepstone-lint-ignore names no rule, so it suppresses nothing.` });
      return;
    }
    const known: LintRuleId[] = [];
    for (const rule of rules) {
      if (isLintRuleId(rule) && !UNSUPPRESSIBLE.has(rule)) known.push(rule);
      else {
        const why = isLintRuleId(rule) ? 'cannot be suppressed' : 'is not a lint rule';
        problems.push({ rule: 'suppression-unknown-rule', line, message: `Line ${line}: stepstone-lint-ignore names "${rule}", which ${why}; it suppresses nothing.` });
      }
    }
    if (!reason) {
      if (known.length) {
        problems.push({ rule: 'suppression-without-reason', line, message: `Line ${line}: stepstone-lint-ignore ${known.join(', ')} gives no reason (\`-- <reason>\`), so it suppresses nothing.` });
      }
      return;
    }
    for (const rule of known) suppressions.push({ rule, reason, line });
  });
  return { suppressions, problems };
}

/** The rule ids, for help and the error message of an unknown rule. */
export function suppressibleRules(): LintRuleId[] {
  return (Object.keys(LINT_RULES) as LintRuleId[]).filter((r) => !UNSUPPRESSIBLE.has(r));
}
