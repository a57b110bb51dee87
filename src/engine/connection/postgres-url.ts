/**
 * PostgreSQL connection URLs, read once: values come from `pg-connection-string` (the parser `pg`
 * itself uses, so a knexfile's URL means here what it means to knex), checked and explained here.
 * Every other module that reads, redacts or edits a URL calls this one.
 */
import { parse } from 'pg-connection-string';
import { userInfo } from 'node:os';
import type { SslMode } from '../../shared/profile';
import { StepstoneError } from '../errors';

/** What a URL says about where and how to connect. */
export interface PostgresUrlFields {
  /** A host name, an address, or a Unix socket folder (starting with `/`). */
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
  sslMode: SslMode;
}

type UrlPart = 'database name' | 'user name' | 'password' | 'host' | 'query string';

/** The raw pieces of a postgres URL's text, for locating problems and editing it without decoding. */
interface UrlPieces {
  scheme: string;
  userinfo: string | null;
  hostport: string;
  path: string;
  query: string;
  fragment: string;
}

const SHAPE = /^(postgres(?:ql)?:\/\/)([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/i;
const FORM_HINT = 'Use the form postgres://user:password@host:5432/database (or postgres://user@/database?host=/var/run/postgresql for a Unix socket).';
const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'no-verify', 'verify-ca', 'verify-full'];

function piecesOf(url: string): UrlPieces | null {
  const m = SHAPE.exec(url);
  if (!m) return null;
  const authority = m[2];
  const at = authority.lastIndexOf('@');
  return {
    scheme: m[1],
    userinfo: at >= 0 ? authority.slice(0, at) : null,
    hostport: at >= 0 ? authority.slice(at + 1) : authority,
    path: m[3],
    query: m[4] ?? '',
    fragment: m[5] ?? '',
  };
}

function joinPieces(p: UrlPieces): string {
  return `${p.scheme}${p.userinfo !== null ? `${p.userinfo}@` : ''}${p.hostport}${p.path}${p.query}${p.fragment}`;
}

/** URL_MALFORMED for a "%" not followed by two hex digits, naming the part (never a password's text). */
function checkEscapes(pieces: UrlPieces): void {
  const colon = pieces.userinfo?.indexOf(':') ?? -1;
  const parts: [UrlPart, string][] = [
    ['user name', colon >= 0 ? pieces.userinfo!.slice(0, colon) : pieces.userinfo ?? ''],
    ['password', colon >= 0 ? pieces.userinfo!.slice(colon + 1) : ''],
    ['host', pieces.hostport],
    ['database name', pieces.path],
    ['query string', pieces.query],
  ];
  for (const [part, text] of parts) {
    const bad = /%(?![0-9a-fA-F]{2})[^%]{0,2}/.exec(text);
    if (!bad) continue;
    const shown = part === 'password' ? '' : ` (${JSON.stringify(bad[0])})`;
    throw new StepstoneError('URL_MALFORMED', `The ${part} in the database URL has a "%" not followed by two hexadecimal digits${shown}.`, {
      hint: `Write a literal % as %25 (and other special characters percent-encoded, e.g. @ as %40)${part === 'password' ? ', or keep the password out of the URL: PGPASSWORD or ~/.pgpass' : ''}.`,
    });
  }
}

/** libpq's default database user: the OS user name (used when a URL or profile names no user). */
export function defaultDatabaseUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}

/** Parse a postgres:// URL (TCP or Unix socket); URL_MALFORMED saying what is wrong. */
export function parsePostgresUrl(url: string): PostgresUrlFields {
  const pieces = piecesOf(url);
  if (!pieces) {
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
    throw new StepstoneError(
      'URL_MALFORMED',
      scheme && !/^postgres(ql)?$/i.test(scheme)
        ? `The database URL must start with postgres:// or postgresql://, not ${scheme}://`
        : `The database URL is malformed: ${redactUrl(url)}`,
      { hint: FORM_HINT },
    );
  }
  checkEscapes(pieces);
  // sslmode is read here, with libpq's meanings; pg-connection-string would map it onto `ssl` its own way.
  const query = new URLSearchParams(pieces.query.slice(1));
  const sslParam = query.get('sslmode');
  query.delete('sslmode');
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(joinPieces({ ...pieces, query: query.toString() ? `?${query}` : '' }));
  } catch {
    throw new StepstoneError('URL_MALFORMED', `The database URL is malformed: ${redactUrl(url)}`, { hint: FORM_HINT });
  }
  if (sslParam && !SSL_MODES.includes(sslParam)) {
    throw new StepstoneError('URL_MALFORMED', `Unknown sslmode "${sslParam}" in the database URL.`, {
      hint: 'Use one of disable, prefer, require, verify-ca, verify-full (or no-verify).',
    });
  }
  const database = parsed.database ?? '';
  if (!database) {
    throw new StepstoneError('URL_MALFORMED', `The database URL names no database: ${redactUrl(url)}`, {
      hint: 'Add the database name after the host, e.g. postgres://user@host:5432/mydb',
    });
  }
  const port = parsed.port ? Number(parsed.port) : 5432;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new StepstoneError('URL_MALFORMED', `The port in the database URL is not a port number: ${JSON.stringify(parsed.port)}.`, { hint: FORM_HINT });
  }
  const user = parsed.user ?? '';
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
    // Older pg-connection-string versions keep an IPv6 address's brackets.
    host: (parsed.host ?? '').replace(/^\[(.*)\]$/, '$1') || 'localhost',
    port,
    user: user || defaultDatabaseUser(),
    password: parsed.password ? parsed.password : undefined,
    database,
    sslMode: (sslParam === 'allow' ? 'prefer' : (sslParam as SslMode | null)) ?? 'prefer',
  };
}

/** True when `host` is a Unix socket folder rather than a network host (libpq: it starts with a slash). */
export function isSocketHost(host: string): boolean {
  return host.startsWith('/');
}

/** The password a URL carries (in its user part or a `password` parameter), if any; undefined for a malformed URL. */
export function passwordInUrl(url: string): string | undefined {
  try {
    return parsePostgresUrl(url).password;
  } catch {
    return undefined;
  }
}

/** The URL without its password (user part and `password` parameter), its other text unchanged. */
export function urlWithoutPassword(url: string): string {
  const pieces = piecesOf(url);
  if (!pieces) return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1@'); // not a postgres URL: still never keep a secret
  const userinfo = pieces.userinfo === null ? null : pieces.userinfo.split(':')[0];
  const query = new URLSearchParams(pieces.query.slice(1));
  const hadPassword = query.has('password');
  query.delete('password');
  return joinPieces({ ...pieces, userinfo, query: hadPassword ? (query.toString() ? `?${query}` : '') : pieces.query });
}

/** Whether the URL carries a password (user part or `password` parameter). */
export function urlHasPassword(url: string): boolean {
  return urlWithoutPassword(url) !== url;
}

/** The same URL naming another database. */
export function urlWithDatabase(url: string, database: string): string {
  const pieces = piecesOf(url);
  if (!pieces) throw new StepstoneError('URL_MALFORMED', `The database URL is malformed: ${redactUrl(url)}`, { hint: FORM_HINT });
  return joinPieces({ ...pieces, path: `/${encodeURIComponent(database)}` });
}

/** The URL with its password masked (`***`), for messages and logs. */
export function redactUrl(url: string): string {
  const pieces = piecesOf(url);
  if (!pieces) return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
  const colon = pieces.userinfo?.indexOf(':') ?? -1;
  const userinfo = colon >= 0 ? `${pieces.userinfo!.slice(0, colon)}:***` : pieces.userinfo;
  const query = new URLSearchParams(pieces.query.slice(1));
  if (query.has('password')) query.set('password', '***');
  return joinPieces({ ...pieces, userinfo, query: query.has('password') ? `?${query.toString().replace('%2A%2A%2A', '***')}` : pieces.query });
}

/** A URL's password split off (to be kept as a secret), and the URL without it; a malformed URL is left whole for its own error later. */
export function splitUrlPassword(url: string): { url: string; password?: string } {
  const password = passwordInUrl(url);
  return password === undefined ? { url } : { url: urlWithoutPassword(url), password };
}
