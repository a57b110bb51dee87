/**
 * The history of an operation that takes no migration lock (a backup, a restore): its row is
 * written when it starts, held by a session of its own that holds a key of its own until the row
 * is completed, so a CLI killed mid-way leaves a row that reads as interrupted. The row is written
 * and completed on fresh connections, again when the server closes one under it (a terminated
 * connection must not lose the record of a backup that succeeded).
 */
import { randomInt } from 'node:crypto';
import type pg from 'pg';
import type { Operation } from '../../shared/history';
import { type ConnectionTarget, connectOptions, resolvePgConfig } from '../connection/connection-target';
import { classifyConnectionError } from '../connection/classify-connection-error';
import { connectClient } from '../connection/pg-client';
import { retryOnConnectionLoss } from '../connection/connection-loss';
import { type Db, withDatabase } from '../database/open-database';
import { pgReader } from '../database/sql-reader';
import type { EngineContext } from '../engine-context';
import { messageOf } from '../errors';
import { ensureLedgerTables, type LedgerNames } from '../ledger/ledger-tables';
import { type NewHistoryEntry, completeHistory, dropStartedHistory, moveHistoryHolder, newHistoryToken, startHistory } from './history-log';
import { HELD_ROW_NAMESPACE, type RowHolder, readHolder } from './row-holder';

/** Connection failures that no retry or later connection would get past. */
const REFUSALS = new Set<string>(['PASSWORD_REQUIRED', 'AUTH_FAILED', 'HOST_UNREACHABLE', 'TLS_FAILED', 'CONNECTION_TIMEOUT']);

/** How a held operation ended (its row's remaining fields). */
export type HeldOutcome = Omit<NewHistoryEntry, 'operation' | 'startedAt' | 'plan' | 'steps'>;

export interface HeldOperation {
  /** Names the row, in this database and in one a restore carries it into. */
  readonly token: string;
  /**
   * Complete the row (in `where`'s database, default the one it started in; appended there if it is
   * not found) after `before` ran on that connection; then let go of the row. Never throws: a row
   * that cannot be written is reported through `warn`.
   */
  finish(outcome: HeldOutcome, options?: { where?: ConnectionTarget; before?: (db: Db) => Promise<void> }): Promise<void>;
  /** The operation was refused before it started: its row goes. */
  abandon(): Promise<void>;
}

/**
 * Start `operation`'s row on `target`: a session takes a key of its own (lost: taken again on a
 * new connection, the row moved to it), then the row is written naming it. An embedded database
 * gets its row at the end (its operations all run in this process).
 */
export async function startHeldOperation(
  target: ConnectionTarget,
  context: EngineContext,
  operation: Operation,
  startedAt: Date,
  details: Record<string, unknown>,
  warn: (message: string) => void,
): Promise<HeldOperation> {
  const token = newHistoryToken();
  const key: [number, number] = [HELD_ROW_NAMESPACE, randomInt(-0x80000000, 0x7fffffff)];
  let finished = false;
  let session: pg.Client | null = null;
  let names: LedgerNames | null = null;
  let started = false;
  const embedded = target.profile.kind === 'embedded';

  const connectHolder = async (onLost: (error: unknown) => void): Promise<{ client: pg.Client; holder: RowHolder }> => {
    const client = await connectClient(await resolvePgConfig(target, connectOptions(context, `${operation} history`)), onLost);
    try {
      await client.query('select pg_advisory_lock($1, $2)', key);
      return { client, holder: await readHolder(client, key) };
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
  };
  // The holder's session closed under the operation (pg_terminate_backend…): hold the row from a new one.
  const onLost = (): void => {
    if (finished) return;
    void connectHolder(onLost)
      .then(async ({ client, holder }) => {
        if (finished) return void (await client.end().catch(() => {}));
        session = client;
        if (names && started) await moveHistoryHolder(pgReader(client), names, token, holder).catch(() => undefined);
      })
      .catch(() => undefined);
  };

  if (!embedded) {
    try {
      const held = await retryOnConnectionLoss(() => connectHolder(onLost));
      session = held.client;
      await retryOnConnectionLoss(() =>
        withDatabase(
          target,
          'history',
          async (db) => {
            names = db.names;
            await ensureLedgerTables(db.knex, db.names);
            await startHistory(db.knex, db.names, context.identity, { operation, startedAt, headBefore: null, plan: null, holder: held.holder, token, details });
          },
          context,
        ),
      );
      started = true;
    } catch (error) {
      // A server that refuses us outright (no password, wrong one, unreachable) refuses the operation
      // too: say that once, as the operation's own failure, before it starts.
      const refusal = classifyConnectionError(error, target);
      if (REFUSALS.has(refusal.code) || (operation === 'backup' && refusal.code === 'DATABASE_MISSING')) {
        await session?.end().catch(() => {});
        throw refusal;
      }
      // The operation matters more than its start row: it is appended at the end instead.
      warn(`Could not record the start of this ${operation} in the history: ${messageOf(error)}`);
    }
  }

  const letGo = async () => {
    finished = true;
    const s = session;
    session = null;
    await s?.end().catch(() => {});
  };

  return {
    token,
    async finish(outcome, options = {}) {
      try {
        await retryOnConnectionLoss(() =>
          withDatabase(
            options.where ?? target,
            'history',
            async (db) => {
              await ensureLedgerTables(db.knex, db.names);
              await options.before?.(db);
              await completeHistory(db.knex, db.names, context.identity, token, { ...outcome, operation, startedAt, plan: null, steps: [] });
            },
            context,
          ),
        );
      } catch (error) {
        // The operation's own outcome matters more than its log line: say so, do not fail it.
        warn(`The ${operation} was not recorded in the history: ${messageOf(error)}`);
      } finally {
        await letGo();
      }
    },
    async abandon() {
      try {
        if (started) await retryOnConnectionLoss(() => withDatabase(target, 'history', (db) => dropStartedHistory(db.knex, db.names, token), context));
      } catch {
        // Left running, it reads as interrupted: the refusal is still reported to the user.
      } finally {
        await letGo();
      }
    },
  };
}
