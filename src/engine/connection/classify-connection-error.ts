/**
 * Turns whatever a failed connection threw (Node socket errors, TLS errors, PostgreSQL's FATAL
 * responses, pg/knex timeouts) into one StepstoneError with a plain-words cause and a hint.
 * Messages name host, port, user and database, never the password.
 */
import type { SslMode } from '../../shared/profile';
import { StepstoneError, isStepstoneError, messageOf } from '../errors';
import { type ConnectionTarget, connectionFields, redactUrl } from './connection-target';

const UNRESOLVED = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL']);
const NO_ROUTE = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EADDRNOTAVAIL']);
const CERTIFICATE = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);
const PASSWORD_MISSING = /password must be a (non-empty )?string/i;

interface Where {
  host: string;
  port: number;
  user: string;
  database: string;
  sslMode: SslMode;
  password?: string;
}

/** The fields that go into messages; undefined when the target itself is unusable (e.g. embedded). */
function whereOf(target: ConnectionTarget): Where | undefined {
  if (target.profile.kind === 'embedded') return undefined;
  try {
    return connectionFields(target);
  } catch {
    return undefined;
  }
}

/** Node error codes of the error and of the errors it aggregates (Happy Eyeballs tries several addresses). */
function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  const visit = (e: unknown, depth: number): void => {
    if (!e || typeof e !== 'object' || depth > 3) return;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    const inner = (e as { errors?: unknown }).errors;
    if (Array.isArray(inner)) for (const x of inner) visit(x, depth + 1);
    visit((e as { cause?: unknown }).cause, depth + 1);
  };
  visit(error, 0);
  return codes;
}

/** Remove anything secret-looking from a driver message before it reaches a user or a log. */
function scrub(message: string, password?: string): string {
  let text = redactUrl(message);
  if (password && password.length >= 3) text = text.split(password).join('***');
  return text;
}

/** Map a connection failure to a typed error with a hint; `timeoutMs` is what the caller waited. */
export function classifyConnectionError(error: unknown, target: ConnectionTarget, options: { timeoutMs?: number } = {}): StepstoneError {
  if (isStepstoneError(error)) return error;
  const where = whereOf(target);
  const raw = scrub(messageOf(error), where?.password ?? target.password);
  const cause = error;
  if (!where) {
    return new StepstoneError('CONNECTION_FAILED', `Could not open the database: ${raw}`, { cause });
  }
  const { host, port, user, database, sslMode } = where;
  const endpoint = `${host}:${port}`;
  const codes = codesOf(error);
  const has = (set: Set<string>): string | undefined => codes.find((c) => set.has(c));
  const pgCode = codes.find((c) => /^[0-9A-Z]{5}$/.test(c) && /\d/.test(c));

  const unresolved = has(UNRESOLVED);
  if (unresolved) {
    const why = unresolved === 'EAI_AGAIN' ? 'the name lookup failed (is DNS reachable?)' : 'the name does not resolve';
    return new StepstoneError('HOST_UNREACHABLE', `Cannot reach host ${host}: ${why}.`, {
      hint: 'Check the host name for typos, and your network or VPN connection.',
      cause,
    });
  }
  if (has(NO_ROUTE)) {
    return new StepstoneError('HOST_UNREACHABLE', `Cannot reach host ${host}: there is no network route to it.`, {
      hint: 'Check your network or VPN connection and any firewall between you and the server.',
      cause,
    });
  }
  if (codes.includes('ECONNREFUSED')) {
    return new StepstoneError(
      'CONNECTION_REFUSED',
      `Nothing accepts connections at ${endpoint} — is PostgreSQL running and listening there?`,
      { hint: 'Start the server, or check the port and the server\'s listen_addresses setting.', cause },
    );
  }
  const timedOut =
    codes.includes('ETIMEDOUT') ||
    /timeout expired|connection timeout|Timeout acquiring a connection/i.test(raw) ||
    (error as { name?: string } | null)?.name === 'KnexTimeoutError';
  if (timedOut) {
    const seconds = options.timeoutMs ? `within ${formatSeconds(options.timeoutMs)}` : 'in time';
    return new StepstoneError('CONNECTION_TIMEOUT', `${endpoint} did not answer ${seconds}.`, {
      hint: 'The host may be down, a firewall may drop the packets, or the port may belong to something other than PostgreSQL.',
      cause,
    });
  }
  if (/does not support SSL/i.test(raw)) {
    return new StepstoneError('TLS_FAILED', `${endpoint} does not accept TLS (SSL) connections, but the SSL mode is "${sslMode}".`, {
      hint: 'Set the SSL mode to "disable" or "prefer" for this server, or enable ssl on the server.',
      cause,
    });
  }
  const certificate = has(CERTIFICATE);
  if (certificate) {
    return new StepstoneError('TLS_FAILED', `The TLS certificate of ${endpoint} was rejected: ${raw} (${certificate}).`, {
      hint:
        certificate === 'ERR_TLS_CERT_ALTNAME_INVALID'
          ? 'Connect with the host name the certificate was issued for, or use SSL mode "verify-ca".'
          : 'Trust the server\'s CA on this machine (NODE_EXTRA_CA_CERTS), or use SSL mode "require" to encrypt without verifying.',
      cause,
    });
  }
  if (codes.includes('EPROTO') || codes.some((c) => c.startsWith('ERR_SSL_') || c.startsWith('ERR_TLS_'))) {
    return new StepstoneError('TLS_FAILED', `The TLS handshake with ${endpoint} failed: ${raw}.`, {
      hint: 'Check the server\'s ssl settings and the SSL mode; "disable" connects without TLS.',
      cause,
    });
  }
  // With no password pg still answers a cleartext request (with nothing), so the server says 28P01.
  if (PASSWORD_MISSING.test(raw) || (pgCode === '28P01' && !where.password)) {
    return new StepstoneError('PASSWORD_REQUIRED', `PostgreSQL at ${endpoint} says this role (${user}) needs a password: give it in the URL, PGPASSWORD or ~/.pgpass.`, {
      hint: "In the app, enter it in the connection's password field (kept in the keychain).",
      cause,
    });
  }
  if (pgCode === '28P01') {
    return new StepstoneError('AUTH_FAILED', `PostgreSQL refused user ${user}: wrong password.`, {
      hint: 'Check the user name and password.',
      cause,
    });
  }
  if (pgCode === '28000') {
    if (/role .* does not exist/i.test(raw)) {
      return new StepstoneError('AUTH_FAILED', `PostgreSQL refused user ${user}: no such user (role) on ${endpoint}.`, {
        hint: 'Check the user name, or create the role on the server.',
        cause,
      });
    }
    return new StepstoneError('AUTH_FAILED', `PostgreSQL refused user ${user}: no access from here (pg_hba.conf): ${raw}.`, {
      hint: /SSL off|no encryption/i.test(raw)
        ? 'The server only accepts TLS connections from here: set the SSL mode to "require".'
        : 'Ask the server\'s administrator to allow this user, database and address in pg_hba.conf.',
      cause,
    });
  }
  if (pgCode === '3D000') {
    return new StepstoneError('DATABASE_MISSING', `Database ${database} does not exist on ${endpoint}.`, {
      hint: `Create it (createdb -h ${host} -p ${port} -U ${user} ${database}) or fix the database name.`,
      cause,
    });
  }
  if (/terminated unexpectedly|ECONNRESET|socket hang up/i.test(raw) || codes.includes('ECONNRESET')) {
    return new StepstoneError('CONNECTION_FAILED', `${endpoint} closed the connection before PostgreSQL answered.`, {
      hint: 'Check that this port belongs to a PostgreSQL server (not a proxy or another service) and that it accepts you.',
      cause,
    });
  }
  if (pgCode === '53300') {
    return new StepstoneError('CONNECTION_FAILED', `${endpoint} has no free connection slots: ${raw}.`, {
      hint: 'Close idle sessions or raise max_connections, then retry.',
      cause,
    });
  }
  if (pgCode === '57P03') {
    return new StepstoneError('CONNECTION_FAILED', `${endpoint} is not accepting connections right now: ${raw}.`, {
      hint: 'The server is starting up, shutting down or in recovery; retry in a moment.',
      cause,
    });
  }
  return new StepstoneError('CONNECTION_FAILED', `Could not connect to ${user}@${endpoint}/${database}: ${raw}`, { cause });
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
