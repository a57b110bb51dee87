/**
 * The rules that look at one statement: what it does to which table, the lock it took, whether
 * it rewrote the table, and how big that table is in the live database.
 */
import type { StatementAction } from './read-statement';
import {
  type CheckedStatement,
  type DraftFinding,
  type LintFacts,
  existingSize,
  isTraced,
  lockOn,
  lockText,
  rewroteTable,
  sizeSeverity,
  sizeText,
  statementLabel,
  tableFinding,
  tableLabel,
} from './statement-facts';
import { assertNever } from '../../shared/assert-never';

type Action<K extends StatementAction['kind']> = Extract<StatementAction, { kind: K }>;

/** Did this add-column or type change cause the rewrite the dry run saw (or would it, when untraced)? */
function causedRewrite(statement: CheckedStatement, action: Action<'add-column' | 'alter-column-type'>): boolean {
  const expected = action.kind === 'alter-column-type' || action.volatileDefault || action.rewritesByDefinition;
  if (!isTraced(statement)) return expected;
  if (!rewroteTable(statement, action.table)) return false;
  if (expected) return true;
  // A rewrite no obvious cause explains (e.g. a default calling a volatile function of the user's): blame the added columns.
  const actions = statement.reading.ok ? statement.reading.actions : [];
  return !actions.some((a) => (a.kind === 'alter-column-type' || (a.kind === 'add-column' && (a.volatileDefault || a.rewritesByDefinition))) && a.table.name === action.table.name);
}

/** Findings for one parsed action of `statement`. */
export function actionFindings(facts: LintFacts, statement: CheckedStatement, action: StatementAction): DraftFinding[] {
  const at = statementLabel(statement);
  switch (action.kind) {
    case 'create-index': {
      const out: DraftFinding[] = [];
      const lock = lockOn(statement, action, action.table);
      const name = tableLabel(action.table.schema, action.table.name);
      if (action.concurrently && statement.transactional) {
        out.push(tableFinding('concurrently-in-transaction', 'error', statement, action.table, existingSize(facts, statement, action.table), lock, false,
          `${at}: CREATE INDEX CONCURRENTLY on ${name} runs inside a transaction, which PostgreSQL refuses ("cannot run inside a transaction block").`));
      }
      const size = existingSize(facts, statement, action.table);
      if (!action.concurrently && size) {
        out.push(tableFinding('index-not-concurrent', sizeSeverity(facts, size), statement, action.table, size, lock, false,
          `${at}: CREATE ${action.unique ? 'UNIQUE ' : ''}INDEX on ${name} takes ${lockText(lock)} while it reads all ${sizeText(size)}.`));
      }
      return out;
    }
    case 'add-constraint': {
      const size = existingSize(facts, statement, action.table);
      if (!size) return [];
      const lock = lockOn(statement, action, action.table);
      const name = tableLabel(action.table.schema, action.table.name);
      const label = action.name ? ` ${action.name}` : '';
      if ((action.constraint === 'foreign' || action.constraint === 'check') && !action.notValid) {
        const kind = action.constraint === 'foreign' ? 'FOREIGN KEY' : 'CHECK';
        return [tableFinding('constraint-not-valid', sizeSeverity(facts, size), statement, action.table, size, lock, false,
          `${at}: adds ${kind}${label} to ${name} without NOT VALID, so it checks all ${sizeText(size)} under ${lockText(lock)}.`)];
      }
      if ((action.constraint === 'unique' || action.constraint === 'primary') && !action.usingIndex) {
        const kind = action.constraint === 'unique' ? 'UNIQUE' : 'PRIMARY KEY';
        return [tableFinding('unique-without-index', sizeSeverity(facts, size), statement, action.table, size, lock, false,
          `${at}: adds ${kind}${label} to ${name} without a prebuilt index, so it builds one over ${sizeText(size)} under ${lockText(lock)}.`)];
      }
      return [];
    }
    case 'set-not-null': {
      const size = existingSize(facts, statement, action.table);
      if (!size) return [];
      const lock = lockOn(statement, action, action.table);
      return [tableFinding('set-not-null', sizeSeverity(facts, size), statement, action.table, size, lock, false,
        `${at}: SET NOT NULL on ${tableLabel(action.table.schema, action.table.name)}.${action.column} scans all ${sizeText(size)} under ${lockText(lock)}.`)];
    }
    case 'alter-column-type': {
      const size = existingSize(facts, statement, action.table);
      if (!size) return [];
      const lock = lockOn(statement, action, action.table);
      const column = `${tableLabel(action.table.schema, action.table.name)}.${action.column}`;
      if (!causedRewrite(statement, action)) {
        return [tableFinding('alter-column-type', 'info', statement, action.table, size, lock, false,
          `${at}: changes the type of ${column} without rewriting the table (binary compatible); ${lockText(lock)} is held only briefly.`)];
      }
      const seen = isTraced(statement) ? 'rewrites' : 'is expected to rewrite';
      return [tableFinding('alter-column-type', sizeSeverity(facts, size), statement, action.table, size, lock, true,
        `${at}: changing the type of ${column} ${seen} all ${sizeText(size)} under ${lockText(lock)}.`)];
    }
    case 'add-column': {
      const size = existingSize(facts, statement, action.table);
      if (!size || !causedRewrite(statement, action)) return [];
      const lock = lockOn(statement, action, action.table);
      const why = action.volatileDefault ? 'its volatile default is computed for every row' : action.rewritesByDefinition ? 'its identity, serial or generated value is computed for every row' : 'the table was rewritten';
      const seen = isTraced(statement) ? 'rewrites' : 'is expected to rewrite';
      return [tableFinding('add-column-rewrite', sizeSeverity(facts, size), statement, action.table, size, lock, true,
        `${at}: adding ${tableLabel(action.table.schema, action.table.name)}.${action.column} ${seen} all ${sizeText(size)} under ${lockText(lock)} (${why}).`)];
    }
    case 'drop-column': {
      const size = existingSize(facts, statement, action.table);
      if (!size) return [];
      return [tableFinding('drop-column', 'warning', statement, action.table, size, lockOn(statement, action, action.table), false,
        `${at}: drops ${tableLabel(action.table.schema, action.table.name)}.${action.column} and its data (${sizeText(size)} in the table); the down migration cannot bring the values back.`)];
    }
    case 'drop-table': {
      const size = existingSize(facts, statement, action.table);
      if (!size) return [];
      return [tableFinding('drop-table', 'warning', statement, action.table, size, lockOn(statement, action, action.table), false,
        `${at}: drops ${tableLabel(action.table.schema, action.table.name)} and its ${sizeText(size)}.`)];
    }
    case 'rename-column': {
      const size = existingSize(facts, statement, action.table);
      if (!size) return [];
      return [tableFinding('rename-column', 'warning', statement, action.table, size, lockOn(statement, action, action.table), false,
        `${at}: renames ${tableLabel(action.table.schema, action.table.name)}.${action.from} to ${action.to}; code still running against the old name breaks.`)];
    }
    case 'rename-table': {
      const size = existingSize(facts, statement, action.table);
      if (!size) return [];
      return [tableFinding('rename-table', 'warning', statement, action.table, size, lockOn(statement, action, action.table), false,
        `${at}: renames ${tableLabel(action.table.schema, action.table.name)} to ${action.to}; code still running against the old name breaks.`)];
    }
    case 'update':
    case 'delete': {
      const size = existingSize(facts, statement, action.table);
      if (!size) return [];
      const touched = statement.trace?.rowCount ?? null;
      const whole = action.whole || (touched !== null && touched >= facts.thresholds.rows);
      if (!whole) return [];
      const verb = action.kind === 'update' ? 'UPDATE' : 'DELETE';
      const scope = action.whole ? 'every row of' : `${touched!.toLocaleString('en-US')} rows of`;
      const lock = lockOn(statement, action, action.table);
      const counted = touched !== null && statement.trace?.where === 'live' ? ` (the dry run touched ${touched.toLocaleString('en-US')})` : '';
      return [tableFinding('whole-table-write', sizeSeverity(facts, size), statement, action.table, size, lock, false,
        `${at}: ${verb} of ${scope} ${tableLabel(action.table.schema, action.table.name)} (${sizeText(size)}) in one transaction${counted}; the rows stay locked against other writers until it commits.`)];
    }
    case 'validate-constraint':
    case 'create-table':
    case 'set-lock-timeout':
    case 'other-alter-table':
    case 'other':
      return [];
    default:
      return assertNever(action, 'statement action');
  }
}

/** A rewrite the dry run saw that no action's rule explained (e.g. SET TABLESPACE, CLUSTER, VACUUM FULL). */
export function unexplainedRewrites(facts: LintFacts, statement: CheckedStatement, explained: DraftFinding[]): DraftFinding[] {
  const out: DraftFinding[] = [];
  for (const table of statement.trace?.rewritten ?? []) {
    const label = tableLabel(table.schema, table.name);
    if (explained.some((f) => f.rewrite && f.table === label)) continue;
    const size = existingSize(facts, statement, { schema: table.schema, name: table.name });
    if (!size) continue;
    const lock = statement.trace?.acquired.find((l) => l.schema === table.schema && l.name === table.name)?.mode ?? 'AccessExclusiveLock';
    out.push(tableFinding('table-rewrite', sizeSeverity(facts, size), statement, { schema: table.schema, name: table.name }, size, lock, true,
      `${statementLabel(statement)}: rewrites ${label} (${sizeText(size)}) under ${lockText(lock)}.`));
  }
  return out;
}
