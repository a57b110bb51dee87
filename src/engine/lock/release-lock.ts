/** Force-unlock: frees Knex's lock row only when no live process holds it, unless overridden; recorded in the history. */
import type { LockState } from '../../shared/lock';
import type { Db } from '../database/open-database';
import { StepstoneError } from '../errors';
import { recordHistory } from '../history/history-log';
import { ensureLedgerTables } from '../ledger/ledger-tables';
import { readLedger } from '../ledger/read-ledger';
import { headOf } from '../migrations/list-migration-files';
import { describeHolders, findLockHolders, lockStateOf } from './lock-state';
import { freeLockRow } from './knex-lock-row';

/** The lock state and the head (unlocking never moves it), from one read of the ledger. */
async function lockAndHead(db: Db): Promise<{ state: LockState; head: string | null }> {
  const ledger = await readLedger(db.knex, db.names);
  const holders = db.embedded ? [] : await findLockHolders(db.knex, db.names);
  return { state: lockStateOf(ledger.lockRow, holders), head: headOf(ledger.rows.map((r) => r.name)) };
}

/** The current lock state (read-only). */
export async function readLockState(db: Db): Promise<LockState> {
  return (await lockAndHead(db)).state;
}

/** Release a stale lock (or a live one with `force`); returns the state afterwards. */
export async function releaseLock(db: Db, options: { force?: boolean } = {}): Promise<LockState> {
  const { state: before, head } = await lockAndHead(db);
  if (before.state === 'free') {
    throw new StepstoneError('NOT_LOCKED', 'The migration lock is not set; there is nothing to release.');
  }
  if (before.state === 'live' && !options.force) {
    throw new StepstoneError('LOCK_LIVE', `The lock is held by a running process: ${describeHolders(before.holders)}.`, {
      hint: 'Wait for it to finish. Only if you are sure it is gone, release it with --force.',
    });
  }
  const startedAt = db.context.now();
  const t0 = performance.now();
  await freeLockRow(db.knex, db.names);
  await ensureLedgerTables(db.knex, db.names);
  await recordHistory(db.knex, db.names, db.context.identity, {
    operation: 'unlock',
    outcome: 'succeeded',
    startedAt,
    durationMs: performance.now() - t0,
    headBefore: head,
    headAfter: head,
    plan: null,
    steps: [],
    error: null,
    details: { previousState: before.state, forced: Boolean(options.force), holders: before.holders },
  });
  return readLockState(db);
}
