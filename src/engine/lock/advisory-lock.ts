/**
 * Stepstone holds a session-level advisory lock for the whole of every write, on a dedicated
 * connection, so a second Stepstone is told who is migrating instead of racing it.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { Db } from '../database/open-database';
import { connectOptions, pgConfigOf } from '../connection/connection-target';
import { classifyConnectionError } from '../connection/classify-connection-error';
import { StepstoneError, messageOf } from '../errors';
import { connectClient, destroySocket, lossOf } from '../connection/pg-client';
import { connectionLossReason, connectionLostError, isConnectionLoss, retryOnConnectionLoss } from '../connection/connection-loss';
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
  /** The connection holding the lock now (another one once a lost session was replaced). */
  readonly session: pg.Client | null;
  /** Hear of the lock taken again on a new connection after its session was lost. */
  onMoved(listener: (session: pg.Client) => void): void;
}

async function tryLock(client: pg.Client, [k1, k2]: [number, number]): Promise<boolean> {
  return Boolean((await client.query('select pg_try_advisory_lock($1, $2) as ok', [k1, k2])).rows[0].ok);
}

/** Take the advisory lock or fail at once with who holds it. */
export async function acquireAdvisoryLock(db: Db, operation: string): Promise<HeldLock> {
  const key = advisoryKey(db.names);
  if (db.embedded) {
    // PGlite serves one connection in one process: an in-process guard is the whole story.
    const memo = `${db.target.profile.database}:${key[1]}`;
    const embeddedLocks = db.context.caches.embeddedLocks;
    if (embeddedLocks.has(memo)) {
      throw new StepstoneError('LOCKED', 'Another operation is already running on the embedded database.', { hint: 'Wait for it to finish.' });
    }
    embeddedLocks.add(memo);
    return { session: null, onMoved: () => undefined, release: async () => void embeddedLocks.delete(memo) };
  }
  const config = pgConfigOf(db.target, connectOptions(db.context, operation));
  let released = false;
  /** Set once the lock is held: a session lost before that is the taking's failure, not a lock to take again. */
  let held = false;
  let session: pg.Client | null = null;
  const moved: ((session: pg.Client) => void)[] = [];
  // The server dropped the lock's session (pg_terminate_backend, a restart): its lock went with it.
  // Take it again on a new connection, so no second run starts while this one goes on.
  const onLost = (error: unknown): void => {
    if (released || !held) return;
    db.context.log('warn', `The session holding Stepstone's lock was closed by the server (${connectionLossReason(error) ?? messageOf(error)}); taking the lock again on a new connection.`);
    void connectClient(config, onLost)
      .then(async (client) => {
        // Released meanwhile (the run ended while this connected or asked): ending the client frees what it took.
        if (!released && (await tryLock(client, key)) && !released) {
          session = client;
          for (const listener of moved) listener(client);
        } else await client.end().catch(() => {});
      })
      .catch((e) => db.context.log('warn', `Could not take Stepstone's lock again: ${messageOf(e)}`));
  };
  /** One attempt: a new session holding the lock, LOCKED with its holders, or the error that ended the session. */
  const take = async (): Promise<pg.Client> => {
    let client: pg.Client | null = null;
    try {
      // Only the session that came to hold the lock is taken again when lost; a failed attempt's is not.
      client = await connectClient(config, (error) => {
        if (client !== null && client === session) onLost(error);
      });
    } catch (error) {
      if (isConnectionLoss(error)) throw error;
      throw classifyConnectionError(error, db.target);
    }
    let locked: boolean;
    try {
      locked = await tryLock(client, key);
    } catch (error) {
      // The session was ended under the attempt (e.g. pg_terminate_backend): whatever it took went
      // with it. Its socket must not keep the process alive.
      destroySocket(client);
      await client.end().catch(() => {});
      throw error;
    }
    if (locked) return client;
    const holders = await findLockHolders(db.knex, db.names).catch(() => []);
    await client.end().catch(() => {});
    throw new StepstoneError('LOCKED', `Another process is migrating this database: ${describeHolders(holders)}.`, {
      hint: 'Wait for it to finish, then run the command again.',
    });
  };
  try {
    // A session the server ends while the lock is being taken is tried again on a new one: nothing has started yet.
    session = await retryOnConnectionLoss(take);
  } catch (error) {
    released = true;
    if (isConnectionLoss(error)) throw connectionLostError(error, { operation: `${operation} (while taking Stepstone's lock; nothing was changed)` });
    throw error;
  }
  held = true;
  return {
    get session() {
      return session;
    },
    onMoved: (listener) => void moved.push(listener),
    release: async () => {
      released = true;
      // A lost session released the lock with it: only a live one has anything to unlock.
      if (!session) return;
      if (!lossOf(session)) await session.query('select pg_advisory_unlock($1, $2)', key).catch(() => {});
      await session.end().catch(() => {});
    },
  };
}
