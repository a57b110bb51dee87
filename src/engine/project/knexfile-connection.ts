/**
 * A knexfile environment's `connection` (URL, object with fields or `connectionString`, or a
 * possibly async function returning either) turned into profile fields plus the password,
 * which callers keep out of anything saved.
 */
import type { Profile, SslMode } from '../../shared/profile';
import { StepstoneError, messageOf } from '../errors';
import type { TlsMaterial } from '../connection/connection-target';
import { parsePostgresUrl, passwordInUrl, urlWithoutPassword } from '../connection/postgres-url';


/** Where a profile connects, without its secret. */
export type ConnectionFieldsOfProfile = Pick<Profile, 'url' | 'host' | 'port' | 'user' | 'database' | 'sslMode'>;

export interface KnexfileConnection {
  fields: ConnectionFieldsOfProfile;
  password?: string;
  /** The `ssl` object's TLS material (ca, cert, key…), kept out of anything saved like the password. */
  tls?: TlsMaterial;
  /** Set when the environment names no usable connection (an unset variable, a malformed URL…). */
  problem?: string;
  /** The error code using it raises: URL_MALFORMED for a bad URL, else CONFIG_INVALID. */
  problemCode?: 'URL_MALFORMED' | 'CONFIG_INVALID';
  /** Things that work but not quite as in the knexfile. */
  notes: string[];
}

/** pg's `ssl` option → the libpq-style mode that means the same. */
function sslModeOf(ssl: unknown): SslMode | undefined {
  if (ssl === undefined || ssl === null) return undefined;
  if (ssl === false) return 'disable';
  if (ssl === true) return 'verify-full'; // pg: TLS with Node's default certificate checks
  if (typeof ssl === 'object') return (ssl as Record<string, unknown>).rejectUnauthorized === false ? 'no-verify' : 'verify-full';
  if (typeof ssl === 'string') return ssl as SslMode;
  return undefined;
}

/** pg's `ssl` object minus the checks the mode already says: what Node's TLS gets as is (ca, cert, key, passphrase…). */
function tlsMaterialOf(ssl: unknown): TlsMaterial | undefined {
  if (typeof ssl !== 'object' || ssl === null || Array.isArray(ssl)) return undefined;
  const { rejectUnauthorized: _checks, ...material } = ssl as Record<string, unknown>;
  return Object.keys(material).length ? material : undefined;
}

async function valueOf(value: unknown): Promise<unknown> {
  return typeof value === 'function' ? await (value as () => unknown)() : value;
}

function fromUrl(url: string, env: string, notes: string[], sslOverride?: SslMode, tls?: TlsMaterial): KnexfileConnection {
  try {
    parsePostgresUrl(url);
  } catch (error) {
    return { fields: {}, notes, problem: `${env}: ${messageOf(error)}`, problemCode: 'URL_MALFORMED' };
  }
  const password = passwordInUrl(url);
  return {
    fields: { url: urlWithoutPassword(url), ...(sslOverride ? { sslMode: sslOverride } : {}) },
    ...(password !== undefined ? { password } : {}),
    ...(tls ? { tls } : {}),
    notes,
  };
}

/** Evaluate `connection` (calling it if it is a function) into fields, password and any problem. */
export async function readKnexfileConnection(connection: unknown, env: string, unsetVariables: string[]): Promise<KnexfileConnection> {
  const notes: string[] = [];
  let value: unknown;
  try {
    value = await valueOf(connection);
  } catch (error) {
    return { fields: {}, notes, problem: `${env}'s connection function threw: ${messageOf(error)}` };
  }
  if (value === undefined || value === null || value === '') return { fields: {}, notes, problem: missingConnection(env, unsetVariables) };
  if (typeof value === 'string') return fromUrl(value, env, notes);
  if (typeof value !== 'object') return { fields: {}, notes, problem: `${env}'s connection is a ${typeof value}, not a URL or an object.` };

  const o = value as Record<string, unknown>;
  const sslMode = sslModeOf(o.ssl);
  const tls = tlsMaterialOf(o.ssl);
  // pg lets `connectionString` win over separate fields.
  if (typeof o.connectionString === 'string' && o.connectionString) return fromUrl(o.connectionString, env, notes, sslMode, tls);
  if ('filename' in o) return { fields: {}, notes, problem: `${env}'s connection names a file (SQLite), not a PostgreSQL server.` };

  let password: string | undefined;
  try {
    const p = await valueOf(o.password);
    password = typeof p === 'string' ? p : undefined;
  } catch (error) {
    return { fields: {}, notes, problem: `${env}'s password function threw: ${messageOf(error)}` };
  }
  const port = o.port === undefined || o.port === '' ? undefined : Number(o.port);
  if (port !== undefined && !(Number.isInteger(port) && port >= 1 && port <= 65535)) {
    return { fields: {}, notes, problem: `${env}'s connection has an invalid port: ${String(o.port)}.` };
  }
  const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  const fields: ConnectionFieldsOfProfile = {
    host: text(o.host) ?? 'localhost',
    ...(port !== undefined ? { port } : {}),
    ...(text(o.user) ?? text(o.username) ? { user: text(o.user) ?? text(o.username) } : {}),
    ...(text(o.database) ? { database: text(o.database) } : {}),
    ...(sslMode ? { sslMode } : {}),
  };
  if (!fields.database) {
    const hint = unsetVariables.length ? ` (unset variables it reads: ${unsetVariables.join(', ')})` : '';
    return { fields, password, notes, problem: `${env}'s connection names no database${hint}.` };
  }
  return { fields, password, ...(tls ? { tls } : {}), notes };
}

/** "staging's connection comes from STAGING_DATABASE_URL, which is not set." — best effort from the source. */
function missingConnection(env: string, unsetVariables: string[]): string {
  const words = env.toUpperCase().split(/[^A-Z0-9]+/).filter(Boolean);
  const aliases: Record<string, string[]> = { PRODUCTION: ['PROD'], STAGING: ['STAGE'], DEVELOPMENT: ['DEV'] };
  const keys = words.flatMap((w) => [w, ...(aliases[w] ?? [])]);
  const mine = unsetVariables.filter((name) => keys.some((k) => name.split('_').includes(k)));
  const named = mine.length ? mine : unsetVariables;
  if (named.length === 1) return `${env}'s connection comes from ${named[0]}, which is not set.`;
  if (named.length > 1) return `${env}'s connection is not set; the knexfile reads ${named.join(', ')}, which are not set.`;
  return `${env}'s connection is not set in the knexfile.`;
}

/** Environment variables the knexfile's source reads (`process.env.X`, `process.env['X']`) that are unset now. */
export function unsetVariablesIn(source: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const names = new Set<string>();
  for (const m of source.matchAll(/process\.env(?:\.([A-Za-z_][A-Za-z0-9_]*)|\[\s*['"`]([^'"`]+)['"`]\s*\])/g)) {
    names.add(m[1] ?? m[2]);
  }
  return [...names].filter((n) => env[n] === undefined || env[n] === '');
}

/** Throw CONFIG_INVALID for a connection that has a problem (used when connecting). */
export function assertUsable(connection: KnexfileConnection, profileName: string): void {
  if (connection.problem) {
    throw new StepstoneError(connection.problemCode ?? 'CONFIG_INVALID', connection.problem, {
      hint: `Set what the knexfile reads, or fix the knexfile, then try "${profileName}" again.`,
    });
  }
}
