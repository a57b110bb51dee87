/**
 * A profile plus its secret, turned into `pg` and Knex configuration. The one place that knows
 * how URLs, fields, SSL modes and the embedded database map onto drivers.
 */
import type { Knex } from 'knex';
import type pg from 'pg';
import { connect } from 'node:net';
import { userInfo } from 'node:os';
import { basename } from 'node:path';
import type { Profile, SslMode } from '../../shared/domain';
import type { EngineContext, Identity } from '../engine-context';
import { StepstoneError } from '../errors';
import { assertNever } from '../../shared/assert-never';

/** What a connection needs: the saved profile and, if any, the password from the keychain/env/prompt. */
export interface ConnectionTarget {
  profile: Profile;
  password?: string;
}

/** Prefix of every Stepstone connection's application_name, so lock holders can be recognised. */
export const APPLICATION_NAME_PREFIX = 'stepstone';

/** `stepstone <operation> user@host pid N`, cut to PostgreSQL's 63-byte limit. */
export function applicationName(operation: string, identity: Identity): string {
  return `${APPLICATION_NAME_PREFIX} ${operation} ${identity.osUser}@${identity.host} pid ${identity.pid}`.slice(0, 63);
}

/** libpq's default database user: the OS user name (looked up when a target names no user). */
function defaultDatabaseUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}

interface ParsedFields {
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
  sslMode: SslMode;
}

/** A percent-encoded part of a URL, decoded; URL_MALFORMED naming the part (never a password's text) when an escape is broken. */
function decodeUrlPart(text: string, part: 'database name' | 'user name' | 'password' | 'host'): string {
  try {
    return decodeURIComponent(text);
  } catch {
    const bad = part === 'password' ? '' : ` (${JSON.stringify(/%(?![0-9a-fA-F]{2})[^%]{0,2}/.exec(text)?.[0] ?? '%')})`;
    throw new StepstoneError('URL_MALFORMED', `The ${part} in the database URL has a "%" not followed by two hexadecimal digits${bad}.`, {
      hint: `Write a literal % as %25 (and other special characters percent-encoded, e.g. @ as %40)${part === 'password' ? ', or keep the password out of the URL: PGPASSWORD or ~/.pgpass' : ''}.`,
    });
  }
}

/** Parse a postgres:// URL; throws URL_MALFORMED with what is wrong. */
export function parsePostgresUrl(url: string): ParsedFields {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new StepstoneError('URL_MALFORMED', `The database URL is malformed: ${redactUrl(url)}`, {
      hint: 'Use the form postgres://user:password@host:5432/database',
    });
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    throw new StepstoneError('URL_MALFORMED', `The database URL must start with postgres:// or postgresql://, not ${u.protocol}//`, {
      hint: 'Use the form postgres://user:password@host:5432/database',
    });
  }
  const database = decodeUrlPart(u.pathname.replace(/^\//, ''), 'database name');
  if (!database) {
    throw new StepstoneError('URL_MALFORMED', `The database URL names no database: ${redactUrl(url)}`, {
      hint: 'Add the database name after the host, e.g. postgres://user@host:5432/mydb',
    });
  }
  const port = u.port ? Number(u.port) : 5432;
  const sslParam = u.searchParams.get('sslmode');
  if (sslParam && !['disable', 'prefer', 'require', 'no-verify', 'verify-ca', 'verify-full', 'allow'].includes(sslParam)) {
    throw new StepstoneError('URL_MALFORMED', `Unknown sslmode "${sslParam}" in the database URL.`, {
      hint: 'Use one of disable, prefer, require, verify-ca, verify-full (or no-verify).',
    });
  }
  const user = decodeUrlPart(u.username, 'user name');
  // PostgreSQL keeps 63 bytes of a name: a longer one would reach another database (or, past the
  // startup packet's limit, no answer at all), so it is refused here, naming the part.
  for (const [part, value] of [['database name', database], ['user name', user]] as const) {
    const bytes = Buffer.byteLength(value, 'utf8');
    if (bytes > 63) {
      throw new StepstoneError('URL_MALFORMED', `The ${part} in the database URL is ${bytes} bytes long; PostgreSQL names are at most 63 bytes.`, {
        hint: `Check the URL: the ${part} ${part === 'database name' ? 'comes after the last /' : 'comes before the @'}.`,
      });
    }
  }
  return {
    host: decodeUrlPart(u.hostname.replace(/^\[|\]$/g, ''), 'host') || 'localhost',
    port,
    user: user || defaultDatabaseUser(),
    password: u.password ? decodeUrlPart(u.password, 'password') : undefined,
    database,
    sslMode: (sslParam === 'allow' ? 'prefer' : (sslParam as SslMode | null)) ?? 'prefer',
  };
}

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

function sslOption(mode: SslMode, serverOffersTls: boolean): pg.ClientConfig['ssl'] {
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

/** `pg` client configuration for a network profile (`prefer` uses TLS only if `resolvePgConfig` saw the server offer it). */
export function pgConfigOf(target: ConnectionTarget, options: ConnectOptions): pg.ClientConfig {
  const f = connectionFields(target);
  return {
    host: f.host,
    port: f.port,
    user: f.user,
    password: f.password,
    database: f.database,
    ssl: sslOption(f.sslMode, options.serverTls.get(`${f.host}:${f.port}`) === true),
    application_name: options.applicationName,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
  };
}

/** Like `pgConfigOf`, but for SSL mode `prefer` first asks the server (once per host:port and memo) whether it offers TLS. */
export async function resolvePgConfig(target: ConnectionTarget, options: ConnectOptions): Promise<pg.ClientConfig> {
  const f = connectionFields(target);
  const key = `${f.host}:${f.port}`;
  if (f.sslMode === 'prefer' && !options.serverTls.has(key)) {
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

/** Remove the password from a URL for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
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
  if (p.url) {
    const u = new URL(p.url);
    u.pathname = `/${encodeURIComponent(database)}`;
    return { ...target, profile: { ...p, url: u.toString() } };
  }
  return { ...target, profile: { ...p, database } };
}
