/** Knex's own lock row, taken and freed exactly as Knex's migrator does, so the knex CLI respects our runs. */
import type { Knex } from 'knex';
import { StepstoneError } from '../errors';
import { type LedgerNames, qualified } from '../ledger/ledger-tables';

function lockedError(): StepstoneError {
  return new StepstoneError('LOCKED', "Knex's migration lock is set and no running Stepstone holds it: a migration may be running from the knex CLI, or one crashed and left the lock behind.", {
    hint: '`stepstone status` tells whether the lock is live or stale; release a stale one with `stepstone unlock`.',
  });
}

/** Inside a transaction: lock the row FOR UPDATE (waiting up to 10 s for a running knex), then set it. */
export async function takeLockRowInTransaction(trx: Knex.Transaction, names: LedgerNames): Promise<void> {
  await trx.raw("set local lock_timeout = '10s'");
  let rows;
  try {
    rows = (await trx.raw(`select is_locked from ${qualified(names, names.lock)} for update`)).rows;
  } catch (error) {
    if ((error as { code?: string }).code === '55P03') {
      throw new StepstoneError('LOCKED', 'Another process (likely the knex CLI) is running migrations on this database right now.', {
        hint: 'Wait for it to finish, then plan again.',
        cause: error,
      });
    }
    throw error;
  }
  await trx.raw('set local lock_timeout to default');
  if (rows.some((r: { is_locked: number }) => Number(r.is_locked) === 1)) throw lockedError();
  await trx.raw(`update ${qualified(names, names.lock)} set is_locked = 1`);
}

/** Without a wrapping transaction: set the row only if it is free (Knex's non-transactional path). */
export async function takeLockRow(db: Knex, names: LedgerNames): Promise<void> {
  const res = await db.raw(`update ${qualified(names, names.lock)} set is_locked = 1 where is_locked = 0`);
  if (res.rowCount === 0) throw lockedError();
}

/** Free the row (Knex's `freeLock`). */
export async function freeLockRow(db: Knex, names: LedgerNames): Promise<void> {
  await db.raw(`update ${qualified(names, names.lock)} set is_locked = 0`);
}
