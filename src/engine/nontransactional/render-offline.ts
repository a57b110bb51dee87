/**
 * The SQL a migration will send, read without a database: its function runs against a Knex whose
 * client records each statement and answers every query with no rows. Used to journal what a
 * non-transactional migration creates or drops before it runs, so an interruption can be examined.
 */
import type { Knex } from 'knex';
import type { Direction } from '../../shared/migration';
import type { LoadedMigration } from '../migrations/load-migration';

/** A migration whose code waits on its own results longer than this is not rendered (it reads data). */
const RENDER_LIMIT_MS = 2_000;

/** Its statements in order, or null when its code could not run without a database (it reads results, or throws). */
export async function renderMigrationOffline(migration: Pick<LoadedMigration, 'up' | 'down'>, direction: Direction): Promise<string[] | null> {
  const { default: knexFactory } = await import('knex');
  const knex = knexFactory({ client: 'pg' });
  const statements: string[] = [];
  const client = knex.client as unknown as Record<string, unknown>;
  client.acquireConnection = async () => ({ recording: true });
  client.releaseConnection = async () => undefined;
  client._query = async (_connection: unknown, obj: { sql: string; response?: unknown }) => {
    statements.push(obj.sql);
    obj.response = { rows: [], rowCount: 0, command: 'SELECT', fields: [] };
    return obj;
  };
  let timer: NodeJS.Timeout | undefined;
  try {
    const ran = Promise.resolve(migration[direction](knex as Knex)).then(() => true);
    const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), RENDER_LIMIT_MS)));
    return (await Promise.race([ran, late])) ? statements : null;
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
    await knex.destroy().catch(() => undefined);
  }
}
