/**
 * "Test connection": open one session, ask the server who and where we are, close it. Every
 * failure comes back as a classified StepstoneError; nothing waits longer than the timeout.
 */
import type { TestConnectionResult } from '../../shared/profile';
import { classifyConnectionError } from './classify-connection-error';
import { connectClient } from './pg-client';
import { type EngineContext, createEngineContext } from '../engine-context';
import { type ConnectionTarget, connectOptions, createKnex, resolvePgConfig } from './connection-target';

const IDENTITY_SQL = 'select current_database() as database, current_user as "user"';

/**
 * Connect, read server version, database and user, and disconnect. `latencyMs` is the time from
 * starting to connect until the first answer (what a user waits for), TLS probe included.
 */
export async function testConnection(target: ConnectionTarget, options: { timeoutMs?: number; context?: EngineContext } = {}): Promise<TestConnectionResult> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const context = options.context ?? createEngineContext();
  if (target.profile.kind === 'embedded') return testEmbedded(target, context, timeoutMs);
  const started = performance.now();
  let client: Awaited<ReturnType<typeof connectClient>> | undefined;
  try {
    const config = await resolvePgConfig(target, { ...connectOptions(context, 'test-connection'), connectTimeoutMs: timeoutMs });
    const remaining = Math.max(1, timeoutMs - (performance.now() - started));
    // Guarded: a server that drops the socket after connecting fails the query instead of crashing.
    client = await connectClient({ ...config, connectionTimeoutMillis: Math.ceil(remaining), query_timeout: timeoutMs });
    const connected = client;
    return await readServerFacts(async (sql) => (await connected.query(sql)).rows, started);
  } catch (error) {
    throw classifyConnectionError(error, target, { timeoutMs });
  } finally {
    await client?.end().catch(() => {});
  }
}

async function testEmbedded(target: ConnectionTarget, context: EngineContext, timeoutMs: number): Promise<TestConnectionResult> {
  const started = performance.now();
  let knex: Awaited<ReturnType<typeof createKnex>> | undefined;
  try {
    const opened = (knex = await createKnex(target, connectOptions(context, 'test-connection')));
    return await readServerFacts(async (sql) => (await opened.raw<{ rows: Record<string, unknown>[] }>(sql)).rows, started);
  } catch (error) {
    throw classifyConnectionError(error, target, { timeoutMs });
  } finally {
    await knex?.destroy().catch(() => {});
  }
}

/** Version (its round trip is the latency), database and user, over either driver. */
async function readServerFacts(run: (sql: string) => Promise<Record<string, unknown>[]>, started: number): Promise<TestConnectionResult> {
  const [version] = await run('show server_version');
  const latencyMs = performance.now() - started;
  const [identity] = await run(IDENTITY_SQL);
  return {
    serverVersion: String(version.server_version),
    database: String(identity.database),
    user: String(identity.user),
    latencyMs: Math.round(latencyMs * 10) / 10,
  };
}
