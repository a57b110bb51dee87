/**
 * An open database session: the target, a Knex instance on it and the migration settings.
 * Every engine function takes one of these; callers close it.
 */
import type { Knex } from 'knex';
import type { TransactionMode } from '../../shared/profile';
import { type ConnectionTarget, connectOptions, createKnex } from '../connection/connection-target';
import { classifyConnectionError } from '../connection/classify-connection-error';
import { type EngineContext, createEngineContext } from '../engine-context';
import { ledgerNames } from '../ledger/ledger-tables';
import type { ReadSession } from './read-session';
import { readerOf } from './sql-reader';

/** A full session: everything a read session offers, plus Knex for migrations and writes. */
export interface Db extends ReadSession {
  knex: Knex;
  transactionMode: TransactionMode;
}

export interface OpenOptions {
  /** Named in the connection's application_name (e.g. `upgrade`). */
  operation?: string;
  /** Skip the first round trip (callers that connect right away anyway). */
  verify?: boolean;
  /** The engine's context; a fresh one (own memos) when a test opens a session directly. */
  context?: EngineContext;
}

/** Open a session; the first round trip happens here so connection failures surface as typed errors. */
export async function openDatabase(target: ConnectionTarget, options: OpenOptions = {}): Promise<Db> {
  const embedded = target.profile.kind === 'embedded';
  const context = options.context ?? createEngineContext();
  let knex: Knex;
  try {
    knex = await createKnex(target, connectOptions(context, options.operation ?? 'session'));
  } catch (error) {
    throw classifyConnectionError(error, target);
  }
  if (options.verify !== false) {
    try {
      await knex.raw('select 1');
    } catch (error) {
      await knex.destroy().catch(() => {});
      throw classifyConnectionError(error, target);
    }
  }
  const settings = target.profile.migrations;
  return {
    target,
    context,
    knex,
    settings,
    names: ledgerNames(settings),
    transactionMode: target.profile.transactionMode ?? 'knex',
    embedded,
    sql: readerOf(knex),
    readOnly: (read) =>
      knex.transaction(async (trx) => {
        await trx.raw('set transaction read only');
        return read(readerOf(trx));
      }),
    close: () => knex.destroy(),
  };
}

/** Run `fn` with a session that is always closed afterwards. */
export async function withDatabase<T>(target: ConnectionTarget, operation: string, fn: (db: Db) => Promise<T>, context?: EngineContext): Promise<T> {
  const db = await openDatabase(target, { operation, context });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}
