/**
 * Stepstone holds a session-level advisory lock for the whole of every write, on a dedicated
 * connection, so a second Stepstone is told who is migrating instead of racing it.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { Db } from '../database/open-database';
import { connectOptions, pgConfigOf } from '../connection/connection-target';
import { classifyConnectionError } from '../connection/classify-connection-error';
import { StepstoneError } from '../errors';
import type { LedgerNames } from '../ledger/ledger-tables';
import { describeHolders, findLockHolders } from './lock-state';

/** Two int4 keys: Stepstone's namespace and the ledger's qualified name. */
export function advisoryKey(names: LedgerNames): [number, number] {
  const digest = createHash('sha256').update(`stepstone:${names.schema ?? ''}.${names.migrations}`).digest();
  return [0x53545053 | 0, digest.readInt32BE(0)]; // 'STPS'
}

/** A held lock; `session` runs side queries (e.g. cancelling a backend) on the lock's own connection. */
export interface HeldLock {
  release(): Promise<void>;
  session: pg.Client | null;
}

/** Take the advisory lock or fail at once with who holds it. */
export async function acquireAdvisoryLock(db: Db, operation: string): Promise<HeldLock> {
  const [k1, k2] = advisoryKey(db.names);
  if (db.embedded) {
    // PGlite serves one connection in one process: an in-process guard is the whole story.
    const key = `${db.target.profile.database}:${k2}`;
    const embeddedLocks = db.context.caches.embeddedLocks;
    if (embeddedLocks.has(key)) {
      throw new StepstoneError('LOCKED', 'Another operation is already running on the embedded database.', { hint: 'Wait for it to finish.' });
    }
    embeddedLocks.add(key);
    return { session: null, release: async () => void embeddedLocks.delete(key) };
  }
  const { default: pgModule } = await import('pg');
  const client = new pgModule.Client(pgConfigOf(db.target, connectOptions(db.context, operation)));
  try {
    await client.connect();
  } catch (error) {
    throw classifyConnectionError(error, db.target);
  }
  const res = await client.query('select pg_try_advisory_lock($1, $2) as ok', [k1, k2]);
  if (!res.rows[0].ok) {
    const holders = await findLockHolders(db.knex, db.names).catch(() => []);
    await client.end().catch(() => {});
    throw new StepstoneError('LOCKED', `Another process is migrating this database: ${describeHolders(holders)}.`, {
      hint: 'Wait for it to finish, then run the command again.',
    });
  }
  return {
    session: client,
    release: async () => {
      await client.query('select pg_advisory_unlock($1, $2)', [k1, k2]).catch(() => {});
      await client.end().catch(() => {});
    },
  };
}
