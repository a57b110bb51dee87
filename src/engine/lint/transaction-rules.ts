/**
 * The rules that look at a transaction as a whole: ACCESS EXCLUSIVE locks taken with no
 * lock_timeout in force, and several ACCESS EXCLUSIVE locks held together for long.
 * A transaction is the whole plan in Knex's one-transaction mode, else one migration.
 */
import type { LintSeverity } from '../../shared/lint';
import { LINT_RULES } from './lint-rules';
import type { TableRef } from './read-statement';
import { type CheckedStatement, type DraftFinding, type LintFacts, existingSize, lockOn, rewroteTable, tableLabel } from './statement-facts';

/** A statement's time, measured in the dry run, above which holding several exclusive locks counts as long. */
export const LONG_HOLD_MS = 1000;

interface ExclusiveLock {
  ref: TableRef;
  label: string;
}

/** Existing tables the statement holds ACCESS EXCLUSIVE on (traced or, failing that, as documented). */
function exclusiveLocks(facts: LintFacts, statement: CheckedStatement): ExclusiveLock[] {
  const out: ExclusiveLock[] = [];
  const add = (ref: TableRef) => {
    const size = existingSize(facts, statement, ref);
    if (!size) return;
    const label = tableLabel(size.schema, size.name);
    if (!out.some((l) => l.label === label)) out.push({ ref, label });
  };
  for (const lock of statement.trace?.acquired ?? []) if (lock.mode === 'AccessExclusiveLock') add({ schema: lock.schema, name: lock.name });
  if (statement.reading.ok) {
    for (const action of statement.reading.actions) {
      if ('table' in action && lockOn(statement, action, action.table) === 'AccessExclusiveLock') add(action.table);
    }
  }
  return out;
}

/** Does the statement set lock_timeout (true: to a limit; false: off); undefined when it does not touch it. */
function setsLockTimeout(statement: CheckedStatement): boolean | undefined {
  if (!statement.reading.ok) return undefined;
  let result: boolean | undefined;
  for (const action of statement.reading.actions) if (action.kind === 'set-lock-timeout') result = !action.off;
  return result;
}

function finding(rule: 'missing-lock-timeout' | 'exclusive-locks-held', severity: LintSeverity, facts: LintFacts, statement: CheckedStatement, lock: ExclusiveLock, message: string): DraftFinding {
  const size = existingSize(facts, statement, lock.ref);
  return {
    migration: statement.migration,
    statement: { index: statement.index, text: statement.text },
    rule,
    severity,
    table: lock.label,
    lock: 'AccessExclusiveLock',
    // The same fact as the statement's other findings give for this table (one statement, one answer).
    rewrite: rewroteTable(statement, lock.ref),
    rows: size?.rows ?? null,
    bytes: size?.bytes ?? null,
    message,
    fix: LINT_RULES[rule].fix,
  };
}

/**
 * Findings over one transaction's statements, in order. `timeoutInForce` says whether the live
 * database's sessions start with a lock_timeout (role, database or connection settings).
 */
export function transactionFindings(facts: LintFacts, statements: CheckedStatement[], timeoutInForce: boolean): DraftFinding[] {
  const out: DraftFinding[] = [];
  let timeout = timeoutInForce;
  const warnedMigrations = new Set<string>();
  const held: ExclusiveLock[] = [];
  let together: { statement: CheckedStatement; position: number } | null = null;
  statements.forEach((statement, position) => {
    const set = setsLockTimeout(statement);
    if (set !== undefined) timeout = set;
    // A lock the transaction already holds is not waited for again.
    const locks = exclusiveLocks(facts, statement).filter((l) => !held.some((h) => h.label === l.label));
    if (locks.length && !timeout && !warnedMigrations.has(statement.migration)) {
      warnedMigrations.add(statement.migration);
      const names = locks.map((l) => l.label).join(', ');
      out.push(finding('missing-lock-timeout', 'warning', facts, statement, locks[0],
        `Statement ${statement.index}: takes AccessExclusiveLock on ${names} with no lock_timeout: while it waits for a long-running query on ${names}, every other query on ${names} queues behind it.`));
    }
    for (const lock of locks) if (!held.some((h) => h.label === lock.label)) held.push(lock);
    if (!together && held.length >= 2) together = { statement, position };
  });
  if (together) {
    const { statement, position } = together as { statement: CheckedStatement; position: number };
    const after = statements.slice(position + 1);
    const heldMs = after.reduce((sum, s) => sum + (s.trace?.durationMs ?? 0), 0);
    const slow = after.filter((s) => (s.trace?.durationMs ?? 0) >= LONG_HOLD_MS || (s.trace?.rewritten.length ?? 0) > 0);
    if (heldMs >= LONG_HOLD_MS || slow.length) {
      const names = held.map((h) => h.label).join(', ');
      const measured = heldMs >= 1 ? `~${(heldMs / 1000).toFixed(1)} s in the dry run` : 'statements that rewrite tables';
      out.push(finding('exclusive-locks-held', 'warning', facts, statement, held[1],
        `From statement ${statement.index} of ${statement.migration} the transaction holds AccessExclusiveLock on ${names} together until it commits, through ${measured}: queries on all of them wait that long.`));
    }
  }
  return out;
}
