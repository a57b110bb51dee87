/**
 * A profile plus its secret, turned into `pg` and Knex configuration. The one place that knows
 * how URLs, fields, SSL modes and the embedded database map onto drivers.
 */
import type { Knex } from 'knex';
import type pg from 'pg';
import { connect } from 'node:net';
import { basename } from 'node:path';
import type { Profile, SslMode } from '../../shared/profile';
import type { EngineContext, Identity } from '../engine-context';
import { StepstoneError } from '../errors';
import { assertNever } from '../../shared/assert-never';
import { type PostgresUrlFields, defaultDatabaseUser, isSocketHost, parsePostgresUrl, urlWithDatabase } from './postgres-url';

export { parsePostgresUrl, redactUrl } from './postgres-url';

/**
 * TLS material a knexfile's `ssl` object gives (certificates, key, passphrase…), handed to Node's
 * TLS as `pg` would hand it. Like the password it is never saved in a profile: it is read from the
 * knexfile when connecting.
 */
export type TlsMaterial = Record<string, unknown>;

/** What a connection needs: the saved profile and, if any, the password from the keychain/env/prompt. */
export interface ConnectionTarget {
  profile: Profile;
  password?: string;
  /** The knexfile's `ssl` options besides the mode (ca, cert, key…), passed on to the TLS connection. */
  tls?: TlsMaterial;
}

/** Prefix of every Stepstone connection's application_name, so lock holders can be recognised. */
export const APPLICATION_NAME_PREFIX = 'stepstone';

/** `stepstone <operation> user@host pid N`, cut to PostgreSQL's 63-byte limit. */
export function applicationName(operation: string, identity: Identity): string {
  return `${APPLICATION_NAME_PREFIX} ${operation} ${identity.osUser}@${identity.host} pid ${identity.pid}`.slice(0, 63);
}

type ParsedFields = PostgresUrlFields;

/** The profile's connection fields, from its URL or its separate fields. */
export function connectionFields(target: ConnectionTarget): ParsedFields {
  const p = target.profile;
  if (p.kind === 'embedded') {
    throw new StepstoneError('INVALID_INPUT', 'The embedded database has no network connection fields.');
  }
  const base: ParsedFields = p.url
    ? parsePostgresUrl(p.url)
    : { host: p.host ?? 'localhost', port: p.port ?? 5432, user: p.user ?? defaultDatabaseUser(), database: p.database ?? '', sslMode: 'prefer' };
  if (!base.database) {
    throw new StepstoneError('CONFIG_INVALID', `The profile "${p.name}" names no database.`, { hint: 'Set the database name or a URL.' });
  }
  return {
    ...base,
    ...(p.url ? {} : { host: p.host ?? base.host, port: p.port ?? base.port, user: p.user ?? base.user }),
    password: target.password ?? base.password,
    sslMode: p.sslMode ?? base.sslMode,
  };
}

function sslMode(mode: SslMode, serverOffersTls: boolean): false | { rejectUnauthorized: boolean; checkServerIdentity?: () => undefined } {
  switch (mode) {
    case 'disable':
      return false;
    case 'prefer': // libpq: TLS without certificate checks when the server offers it, else plain.
      return serverOffersTls ? { rejectUnauthorized: false } : false;
    case 'require':
    case 'no-verify':
      return { rejectUnauthorized: false };
    case 'verify-ca':
      return { rejectUnauthorized: true, checkServerIdentity: () => undefined };
    case 'verify-full':
      return { rejectUnauthorized: true };
    default:
      return assertNever(mode, 'SSL mode');
  }
}

/**
 * Ask a server whether it speaks TLS (PostgreSQL's SSLRequest: 8 bytes out, 'S' or 'N' back).
 * Socket errors are thrown as Node raised them (ENOTFOUND, ECONNREFUSED…); silence past the
 * timeout throws `timeout expired`, the message `pg` uses, so one classifier handles both.
 */
export function probeServerSsl(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolvePromise, reject) => {
    const socket = connect({ host, port });
    const finish = (outcome: () => void): void => {
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.on('error', () => {});
      socket.destroy();
      outcome();
    };
    const timer = setTimeout(() => finish(() => reject(new Error('timeout expired'))), timeoutMs);
    socket.once('connect', () => {
      const request = Buffer.alloc(8);
      request.writeInt32BE(8, 0);
      request.writeInt32BE(80877103, 4);
      socket.write(request);
    });
    socket.once('data', (chunk) => finish(() => resolvePromise(chunk[0] === 0x53 /* 'S' */)));
    socket.once('error', (error) => finish(() => reject(error)));
    socket.once('close', () => finish(() => reject(new Error('Connection terminated unexpectedly'))));
  });
}

/** How a connection is made: who asks (its application_name) and what is known of servers' TLS. */
export interface ConnectOptions {
  /** `applicationName(operation, identity)`: lets a lock's holders be recognised. */
  applicationName: string;
  /** Servers (host:port) known to offer TLS or not; `prefer` uses TLS only where one said it does. */
  serverTls: Map<string, boolean>;
  connectTimeoutMs?: number;
}

/** How `context` connects for `operation`: its identity in application_name, its TLS memo. */
export function connectOptions(context: EngineContext, operation: string): ConnectOptions {
  return { applicationName: applicationName(operation, context.identity), serverTls: context.caches.serverTls };
}

/**
 * The `ssl` option for `pg`: the mode's checks plus the knexfile's TLS material. A Unix socket has
 * no TLS (libpq ignores sslmode there; the server refuses an SSLRequest on it).
 */
function sslOption(f: ParsedFields, target: ConnectionTarget, serverOffersTls: boolean): pg.ClientConfig['ssl'] {
  if (isSocketHost(f.host)) return false;
  const mode = sslMode(f.sslMode, serverOffersTls);
  // The knexfile's own checks (rejectUnauthorized…) already chose the mode; its material goes with it.
  return mode && target.tls ? { ...target.tls, ...mode } : mode;
}

/** `pg` client configuration for a network profile (`prefer` uses TLS only if `resolvePgConfig` saw the server offer it). */
export function pgConfigOf(target: ConnectionTarget, options: ConnectOptions): pg.ClientConfig {
  const f = connectionFields(target);
  return {
    host: f.host,
    port: f.port,
    user: f.user,
    password: f.password,
    database: f.database,
    ssl: sslOption(f, target, options.serverTls.get(`${f.host}:${f.port}`) === true),
    application_name: options.applicationName,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
  };
}

/** Like `pgConfigOf`, but for SSL mode `prefer` first asks the server (once per host:port and memo) whether it offers TLS. */
export async function resolvePgConfig(target: ConnectionTarget, options: ConnectOptions): Promise<pg.ClientConfig> {
  const f = connectionFields(target);
  const key = `${f.host}:${f.port}`;
  if (f.sslMode === 'prefer' && !isSocketHost(f.host) && !options.serverTls.has(key)) {
    options.serverTls.set(key, await probeServerSsl(f.host, f.port, options.connectTimeoutMs ?? 10_000));
  }
  return pgConfigOf(target, options);
}

/** The database's name (for confirmations and the catalogue). */
export function databaseNameOf(target: ConnectionTarget): string {
  // The embedded database's "name" is its folder: show the folder's own name, not the whole path.
  if (target.profile.kind === 'embedded') return target.profile.database ? basename(target.profile.database) : 'demo';
  return connectionFields(target).database;
}

/** "user@host:port/database", never with a password. */
export function describeTarget(target: ConnectionTarget): string {
  if (target.profile.kind === 'embedded') return `embedded PGlite (${target.profile.database ?? 'memory'})`;
  const f = connectionFields(target);
  return `${f.user}@${f.host}:${f.port}/${f.database}`;
}

/** A Knex instance on the target. Embedded profiles use PGlite (one connection, in-process). */
export async function createKnex(target: ConnectionTarget, options: ConnectOptions & { poolMax?: number }): Promise<Knex> {
  const { default: knex } = await import('knex');
  if (target.profile.kind === 'embedded') {
    const { default: ClientPgLite } = await import('knex-pglite');
    const { startPgliteInWorker } = await import('../database/pglite-in-worker');
    // PGlite runs in a worker thread: its seconds-long start never freezes this thread.
    const pglite = startPgliteInWorker(target.profile.database ?? null);
    // Wait for its start here, with no deadline: Knex's pool gives a new connection 30 s (tarn's
    // createTimeoutMillis, which knex-pglite lets no one set) and a first start (initdb) on a busy
    // machine takes longer. There the pool gave up, left this PGlite starting on the folder, and the
    // next call started a second one on it. A start that fails ends its thread before anything retries.
    try {
      await pglite.waitReady;
    } catch (error) {
      await pglite.close().catch(() => {});
      throw error;
    }
    return knex({ client: ClientPgLite as unknown as Knex.Config['client'], dialect: 'postgres', connection: { pglite } } as Knex.Config);
  }
  const { knexPgClient } = await import('./pg-client');
  return knex({
    client: await knexPgClient(),
    connection: (await resolvePgConfig(target, options)) as Knex.PgConnectionConfig,
    pool: { min: 0, max: options.poolMax ?? 4 },
    acquireConnectionTimeout: 15_000,
    // Knex prints pool warnings (a failed attempt's stack, a dropped dead connection) to the console:
    // the error that matters reaches the caller, typed, so these stay quiet.
    log: { warn: () => {}, error: () => {}, deprecate: () => {}, debug: () => {} },
  });
}

/** The same server and credentials, another database (restore into a new database, scratch copies). */
export function retargetDatabase(target: ConnectionTarget, database: string): ConnectionTarget {
  const p = target.profile;
  if (p.kind === 'embedded') throw new StepstoneError('INVALID_INPUT', 'The embedded database cannot be retargeted.');
  if (p.url) return { ...target, profile: { ...p, url: urlWithDatabase(p.url, database) } };
  return { ...target, profile: { ...p, database } };
}
