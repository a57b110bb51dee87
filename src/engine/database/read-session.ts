/**
 * A read-only session: what status needs (plain reads, one READ ONLY transaction), nothing more.
 * On a server it is one bare `pg` connection: Knex's migrator, query builder and pool are never
 * loaded, which is most of a short `stepstone status` run. The embedded database has one
 * connection, opened through Knex as every other session on it.
 */
import type { MigrationSettings } from '../../shared/profile';
import { type ConnectionTarget, connectOptions, resolvePgConfig } from '../connection/connection-target';
import { classifyConnectionError } from '../connection/classify-connection-error';
import { connectClient } from '../connection/pg-client';
import { type EngineContext, createEngineContext } from '../engine-context';
import { type LedgerNames, ledgerNames } from '../ledger/ledger-tables';
import { type SqlReader, pgReader } from './sql-reader';

export interface ReadSession {
  target: ConnectionTarget;
  /** The engine's clock, identity and memos: every operation on this session uses them. */
  context: EngineContext;
  settings: MigrationSettings;
  names: LedgerNames;
  /** Embedded PGlite: one connection, no other processes, no server-side lock holders. */
  embedded: boolean;
  /** Reads outside a transaction. */
  sql: SqlReader;
  /** Run `read` in one READ ONLY transaction (one consistent view of the ledger). */
  readOnly<T>(read: (sql: SqlReader) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Open a read session; connection failures surface here as typed errors. */
export async function openReadSession(target: ConnectionTarget, options: { operation?: string; context?: EngineContext } = {}): Promise<ReadSession> {
  const context = options.context ?? createEngineContext();
  if (target.profile.kind === 'embedded') {
    const { openDatabase } = await import('./open-database');
    return openDatabase(target, { ...options, context });
  }
  let client: Awaited<ReturnType<typeof connectClient>>;
  try {
    // Guarded: a server that drops the connection later fails the next query instead of crashing.
    client = await connectClient(await resolvePgConfig(target, connectOptions(context, options.operation ?? 'session')));
  } catch (error) {
    throw classifyConnectionError(error, target);
  }
  const connected = client;
  const sql = pgReader(connected);
  const settings = target.profile.migrations;
  return {
    target,
    context,
    settings,
    names: ledgerNames(settings),
    embedded: false,
    sql,
    async readOnly(read) {
      await connected.query('begin transaction read only');
      try {
        const result = await read(sql);
        await connected.query('commit');
        return result;
      } catch (error) {
        await connected.query('rollback').catch(() => {});
        throw error;
      }
    },
    close: () => connected.end(),
  };
}
