/**
 * The facts a rule looks at for one statement — what it does (parsed), the locks and rewrites
 * the dry run traced, and the live size of the table — and how a finding states them.
 */
import type { LintFinding, LintSeverity, LintThresholds, StatementTrace, TableSize } from '../../shared/lint';
import type { LintRuleId } from './lint-rules';
import { LINT_RULES } from './lint-rules';
import { documentedLock, lockEffect, strongest } from './lock-modes';
import { type StatementAction, type StatementReading, type TableRef, refersTo } from './read-statement';

/** One captured statement of a migration, with what the dry run and the parser learned of it. */
export interface CheckedStatement {
  /** Position in the whole plan, counting every statement of every migration. */
  position: number;
  migration: string;
  /** 1-based, within its migration. */
  index: number;
  text: string;
  trace: StatementTrace | null;
  reading: StatementReading;
  transactional: boolean;
}

/** A finding before suppressions are applied. */
export type DraftFinding = Omit<LintFinding, 'suppressed' | 'reason' | 'rule' | 'fix'> & { rule: LintRuleId; fix: string };

export interface LintFacts {
  thresholds: LintThresholds;
  /** The table's size in the live database; null when it does not exist there (yet). */
  sizeOf(ref: TableRef): TableSize | null;
  /** Tables (by name) the plan creates, with the position of the creating statement: new from then on, so no rows to block. */
  createdInPlan: Map<string, number>;
}

/** `orders` for public tables, `sales.orders` otherwise. */
export function tableLabel(schema: string | null, name: string): string {
  return !schema || schema === 'public' ? name : `${schema}.${name}`;
}

/** The size of a table that exists in the live database and was not created earlier in this plan; else null. */
export function existingSize(facts: LintFacts, statement: CheckedStatement, ref: TableRef): TableSize | null {
  const created = facts.createdInPlan.get(ref.name);
  if (created !== undefined && created < statement.position) return null;
  return facts.sizeOf(ref);
}

export function isBig(facts: LintFacts, size: TableSize): boolean {
  return size.rows >= facts.thresholds.rows || size.bytes >= facts.thresholds.bytes;
}

/** `error` at or above the threshold, `warning` below it. */
export function sizeSeverity(facts: LintFacts, size: TableSize): LintSeverity {
  return isBig(facts, size) ? 'error' : 'warning';
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 10 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/** "~400,000 rows, 28 MB" (with how the rows were estimated when not from statistics). */
export function sizeText(size: TableSize): string {
  const rows = `${size.rowsSource === 'counted' ? '' : '~'}${size.rows.toLocaleString('en-US')} row${size.rows === 1 ? '' : 's'}`;
  const how = size.rowsSource === 'planner' ? ' (never analyzed: planner estimate)' : size.rowsSource === 'counted' ? ' (never analyzed: counted)' : '';
  return `${rows}${how}, ${formatBytes(size.bytes)}`;
}

/** The strongest lock the statement took on the table: traced when it newly took one, else as documented. */
export function lockOn(statement: CheckedStatement, action: StatementAction, ref: TableRef): string | null {
  const traced = (statement.trace?.acquired ?? []).filter((l) => refersTo(ref, l)).reduce<string | null>((m, l) => strongest(m, l.mode), null);
  return strongest(traced, documentedLock(action));
}

/** Did the dry run see the table rewritten by this statement? */
export function rewroteTable(statement: CheckedStatement, ref: TableRef): boolean {
  return (statement.trace?.rewritten ?? []).some((r) => refersTo(ref, r));
}

export function isTraced(statement: CheckedStatement): boolean {
  return statement.trace?.locks === 'traced';
}

/** "statement 2" plus where its facts came from when they were not traced. */
export function statementLabel(statement: CheckedStatement): string {
  return `Statement ${statement.index}`;
}

export function lockText(lock: string | null): string {
  return lock ? `${lock} (${lockEffect(lock)})` : 'no table lock';
}

/** A finding about `ref`, with its size, lock and rewrite facts filled in. */
export function tableFinding(
  rule: LintRuleId,
  severity: LintSeverity,
  statement: CheckedStatement,
  ref: TableRef,
  size: TableSize | null,
  lock: string | null,
  rewrite: boolean,
  message: string,
): DraftFinding {
  const untraced = statement.trace?.locks === 'untraced' ? ' (ran outside a transaction on the scratch copy: lock as PostgreSQL documents it, not traced)' : '';
  return {
    migration: statement.migration,
    statement: { index: statement.index, text: statement.text },
    rule,
    severity,
    table: tableLabel(size?.schema ?? ref.schema, size?.name ?? ref.name),
    lock,
    rewrite,
    rows: size?.rows ?? null,
    bytes: size?.bytes ?? null,
    message: `${message}${untraced}`,
    fix: LINT_RULES[rule].fix,
  };
}
