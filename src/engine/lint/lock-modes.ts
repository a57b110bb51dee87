/**
 * PostgreSQL's table lock modes: their strength order, what each blocks in words, and the mode
 * each kind of statement takes according to PostgreSQL's documentation (used when a statement's
 * locks could not be traced, or it needed a lock its transaction already held).
 */
import type { StatementAction } from './read-statement';
import { assertNever } from '../../shared/assert-never';

const ORDER = [
  'AccessShareLock',
  'RowShareLock',
  'RowExclusiveLock',
  'ShareUpdateExclusiveLock',
  'ShareLock',
  'ShareRowExclusiveLock',
  'ExclusiveLock',
  'AccessExclusiveLock',
] as const;

export type LockMode = (typeof ORDER)[number];

function rank(mode: string): number {
  return ORDER.indexOf(mode as LockMode);
}

/** The stronger of two modes (null counts as none). */
export function strongest(a: string | null, b: string | null): string | null {
  if (!a) return b;
  if (!b) return a;
  return rank(b) > rank(a) ? b : a;
}

/** Blocks ordinary writes (INSERT/UPDATE/DELETE) on the table. */
export function blocksWrites(mode: string | null): boolean {
  return mode !== null && rank(mode) >= rank('ShareLock');
}

/** What a mode blocks, in words for messages. */
export function lockEffect(mode: string): string {
  switch (mode) {
    case 'AccessExclusiveLock':
      return 'blocks reads and writes';
    case 'ExclusiveLock':
    case 'ShareRowExclusiveLock':
    case 'ShareLock':
      return 'blocks writes';
    case 'ShareUpdateExclusiveLock':
      return 'blocks schema changes and VACUUM, not reads or writes';
    case 'RowExclusiveLock':
      return 'locks every row it changes against other writers';
    default:
      return 'blocks only ACCESS EXCLUSIVE';
  }
}

/** The mode PostgreSQL documents for an action on its table; null when it takes none worth reporting. */
export function documentedLock(action: StatementAction): LockMode | null {
  switch (action.kind) {
    case 'create-index':
      return action.concurrently ? 'ShareUpdateExclusiveLock' : 'ShareLock';
    case 'add-constraint':
      return action.constraint === 'foreign' ? 'ShareRowExclusiveLock' : 'AccessExclusiveLock';
    case 'validate-constraint':
      return 'ShareUpdateExclusiveLock';
    case 'update':
    case 'delete':
      return 'RowExclusiveLock';
    case 'set-not-null':
    case 'alter-column-type':
    case 'add-column':
    case 'drop-column':
    case 'drop-table':
    case 'rename-column':
    case 'rename-table':
    case 'create-table':
    case 'other-alter-table':
      return 'AccessExclusiveLock';
    case 'set-lock-timeout':
    case 'other':
      return null;
    default:
      return assertNever(action, 'statement action');
  }
}
