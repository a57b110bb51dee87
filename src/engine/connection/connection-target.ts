/**
 * A profile plus its secret, turned into `pg` and Knex configuration. The one place that knows
 * how URLs, fields, SSL modes and the embedded database map onto drivers.
 */
import type { Knex } from 'knex';
import type pg from 'pg';
import { hostname, userInfo } from 'node:os';
import type { Profile, SslMode } from '../../shared/domain';
import { StepstoneError } from '../errors';

/** What a connection needs: the saved profile and, if any, the password from the keychain/env/prompt. */
export interface ConnectionTarget {
  profile: Profile;
  password?: string;
}

/** Prefix of every Stepstone connection's application_name, so lock holders can be recognised. */
export const APPLICATION_NAME_PREFIX = 'stepstone';

/** `stepstone <operation> user@host pid N`, cut to PostgreSQL's 63-byte limit. */
export function applicationName(operation: string): string {
  return `${APPLICATION_NAME_PREFIX} ${operation} ${safeUser()}@${hostname()} pid ${process.pid}`.slice(0, 63);
}

/** The OS user running this process (for the audit log). */
export function safeUser(): string {
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
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
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
  return {
    host: decodeURIComponent(u.hostname.replace(/^\[|\]$/g, '')) || 'localhost',
    port,
    user: decodeURIComponent(u.username) || safeUser(),
    password: u.password ? decodeURIComponent(u.password) : undefined,
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
    : { host: p.host ?? 'localhost', port: p.port ?? 5432, user: p.user ?? safeUser(), database: p.database ?? '', sslMode: 'prefer' };
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

function sslOption(mode: SslMode): pg.ClientConfig['ssl'] {
  switch (mode) {
    case 'disable':
    case 'prefer': // pg cannot fall back from TLS to plain; prefer behaves as plain (libpq's common outcome on local servers).
      return false;
    case 'require':
    case 'no-verify':
      return { rejectUnauthorized: false };
    case 'verify-ca':
      return { rejectUnauthorized: true, checkServerIdentity: () => undefined };
    case 'verify-full':
      return { rejectUnauthorized: true };
  }
}

/** `pg` client configuration for a network profile. */
export function pgConfigOf(target: ConnectionTarget, options: { applicationName?: string; connectTimeoutMs?: number } = {}): pg.ClientConfig {
  const f = connectionFields(target);
  return {
    host: f.host,
    port: f.port,
    user: f.user,
    password: f.password,
    database: f.database,
    ssl: sslOption(f.sslMode),
    application_name: options.applicationName ?? applicationName('session'),
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
  };
}

/** The database's name (for confirmations and the catalogue). */
export function databaseNameOf(target: ConnectionTarget): string {
  if (target.profile.kind === 'embedded') return target.profile.database ?? 'demo';
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
export async function createKnex(target: ConnectionTarget, options: { applicationName?: string; poolMax?: number } = {}): Promise<Knex> {
  const { default: knex } = await import('knex');
  if (target.profile.kind === 'embedded') {
    const { default: ClientPgLite } = await import('knex-pglite');
    const filename = target.profile.database;
    return knex({ client: ClientPgLite as unknown as Knex.Config['client'], dialect: 'postgres', connection: filename ? { filename } : {} } as Knex.Config);
  }
  return knex({
    client: 'pg',
    connection: pgConfigOf(target, options) as Knex.PgConnectionConfig,
    pool: { min: 0, max: options.poolMax ?? 4 },
    acquireConnectionTimeout: 15_000,
  });
}
