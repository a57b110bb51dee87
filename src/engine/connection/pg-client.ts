/// <reference path="./knex-pg-dialect.d.ts" />
/**
 * Every `pg` connection Stepstone opens goes through here, so that none can crash the process or
 * keep it alive: an 'error' listener from the start (a terminated idle session emits one; without a
 * listener Node throws it as an unhandled event), and a connection attempt that fails (e.g. a
 * password the server wants and nobody gave) closes its socket instead of leaving it open until
 * the server's authentication timeout.
 */
import type pg from 'pg';
import type { Knex } from 'knex';

/** The connection error a client saw after connecting (its session is gone), if any. */
const lostErrors = new WeakMap<object, unknown>();

/** Attach the listener that keeps a lost session from crashing the process; `onLost` hears of it once. */
export function guardClient<C extends pg.Client>(client: C, onLost?: (error: unknown) => void): C {
  client.on('error', (error) => {
    if (lostErrors.has(client)) return;
    lostErrors.set(client, error);
    onLost?.(error);
  });
  return client;
}

/** The error with which `client`'s session was lost, or undefined while it is alive. */
export function lossOf(client: object): unknown {
  return lostErrors.get(client);
}

/** Close the socket of a client whose connection attempt failed (pg leaves it open). */
export function destroySocket(client: object): void {
  const stream = (client as { connection?: { stream?: { destroy?: () => void } } }).connection?.stream;
  stream?.destroy?.();
}

/** A new client on `config`, guarded and connected; a failed attempt leaves no socket behind. */
export async function connectClient(config: pg.ClientConfig, onLost?: (error: unknown) => void): Promise<pg.Client> {
  const { default: pgModule } = await import('./pg-driver');
  const client = guardClient(new pgModule.Client(config), onLost);
  try {
    await client.connect();
  } catch (error) {
    destroySocket(client);
    await client.end().catch(() => {});
    throw error;
  }
  return client;
}

/** Knex's PostgreSQL client, whose pool connections close their socket when the attempt fails. */
export async function knexPgClient(): Promise<Knex.Config['client']> {
  type KnexPgConnection = pg.Client & { __knex__disposed?: unknown };
  type ClientPgClass = new (...args: never[]) => { driver: typeof pg; connectionSettings: pg.ClientConfig };
  const { default: ClientPg } = (await import('knex/lib/dialects/postgres/index.js')) as unknown as { default: ClientPgClass };
  class StepstonePgClient extends ClientPg {
    // A `pg` connection takes several statements in one query (catalog-batch.ts batches on it).
    // A getter, on the prototype: Knex builds each transaction's client from this prototype.
    get sendsMultiStatementQueries(): boolean {
      return true;
    }

    // Knex's own `_acquireOnlyConnection` (knex 3), plus the cleanup of a failed attempt.
    _acquireOnlyConnection(): Promise<KnexPgConnection> {
      const connection: KnexPgConnection = new this.driver.Client(this.connectionSettings);
      connection.on('error', (error) => void (connection.__knex__disposed = error));
      connection.on('end', () => void (connection.__knex__disposed ??= 'Connection ended unexpectedly'));
      return connection.connect().then(
        () => connection,
        async (error: unknown) => {
          destroySocket(connection);
          await connection.end().catch(() => {});
          throw error;
        },
      );
    }
  }
  return StepstonePgClient as unknown as Knex.Config['client'];
}
