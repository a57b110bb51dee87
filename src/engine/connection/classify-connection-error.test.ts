// The mapping itself, fed the shapes Node, pg and knex throw (the real paths are in test-connection.test.ts).
import { describe, expect, it } from 'vitest';
import { Profile } from '../../shared/profile';
import { StepstoneError } from '../errors';
import { classifyConnectionError } from './classify-connection-error';
import type { ConnectionTarget } from './connection-target';

const target: ConnectionTarget = {
  profile: Profile.parse({
    id: 'p',
    name: 'Staging',
    environment: 'staging',
    url: 'postgres://alice@db.example.com:6543/app',
    migrations: { directories: ['/tmp/m'] },
  }),
  password: 'correct-horse',
};

function nodeError(code: string, message = code): Error {
  return Object.assign(new Error(message), { code });
}
function pgError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code, severity: 'FATAL' });
}

describe('classifyConnectionError', () => {
  it.each([
    [nodeError('ENOTFOUND'), 'HOST_UNREACHABLE', 'Cannot reach host db.example.com: the name does not resolve.'],
    [nodeError('EAI_AGAIN'), 'HOST_UNREACHABLE', 'Cannot reach host db.example.com: the name lookup failed (is DNS reachable?).'],
    [nodeError('ENETUNREACH'), 'HOST_UNREACHABLE', 'Cannot reach host db.example.com: there is no network route to it.'],
    [nodeError('EHOSTUNREACH'), 'HOST_UNREACHABLE', 'Cannot reach host db.example.com: there is no network route to it.'],
    [nodeError('ECONNREFUSED'), 'CONNECTION_REFUSED', 'Nothing accepts connections at db.example.com:6543 — is PostgreSQL running and listening there?'],
    [pgError('28P01', 'password authentication failed for user "alice"'), 'AUTH_FAILED', 'PostgreSQL refused user alice: wrong password.'],
    [pgError('3D000', 'database "app" does not exist'), 'DATABASE_MISSING', 'Database app does not exist on db.example.com:6543.'],
  ])('%s → %s', (error, code, message) => {
    const result = classifyConnectionError(error, target);
    expect(result.code).toBe(code);
    expect(result.message).toBe(message);
    expect(result.hint).toBeTruthy();
    expect(result.cause).toBe(error);
  });

  it('sees through AggregateError (IPv4 and IPv6 both refused)', () => {
    const error = new AggregateError([nodeError('ECONNREFUSED'), nodeError('ECONNREFUSED')], '');
    expect(classifyConnectionError(error, target).code).toBe('CONNECTION_REFUSED');
  });

  it('timeouts from pg, the OS and knex → CONNECTION_TIMEOUT naming the wait', () => {
    expect(classifyConnectionError(new Error('timeout expired'), target, { timeoutMs: 10_000 }).message).toBe(
      'db.example.com:6543 did not answer within 10 s.',
    );
    expect(classifyConnectionError(nodeError('ETIMEDOUT'), target).code).toBe('CONNECTION_TIMEOUT');
    const knexTimeout = Object.assign(new Error('Knex: Timeout acquiring a connection. The pool is probably full.'), { name: 'KnexTimeoutError' });
    expect(classifyConnectionError(knexTimeout, target).code).toBe('CONNECTION_TIMEOUT');
  });

  it.each(['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'ERR_TLS_CERT_ALTNAME_INVALID', 'EPROTO'])(
    'certificate/handshake error %s → TLS_FAILED',
    (code) => {
      expect(classifyConnectionError(nodeError(code, 'tls said no'), target).code).toBe('TLS_FAILED');
    },
  );

  it('pg_hba rejections are AUTH_FAILED, with a TLS hint when the server wants TLS', () => {
    const error = pgError('28000', 'no pg_hba.conf entry for host "10.0.0.5", user "alice", database "app", no encryption');
    const result = classifyConnectionError(error, target);
    expect(result.code).toBe('AUTH_FAILED');
    expect(result.message).toMatch(/^PostgreSQL refused user alice: no access from here \(pg_hba\.conf\)/);
    expect(result.hint).toMatch(/require/);
  });

  it('a wrong-password answer when no password was given → PASSWORD_REQUIRED', () => {
    const result = classifyConnectionError(pgError('28P01', 'password authentication failed'), { profile: target.profile });
    expect(result.code).toBe('PASSWORD_REQUIRED');
  });

  it('never repeats the password, even when a driver message contains it', () => {
    const error = new Error('weird failure near correct-horse in postgres://alice:correct-horse@db.example.com/app');
    const result = classifyConnectionError(error, target);
    expect(result.code).toBe('CONNECTION_FAILED');
    expect(result.message).not.toContain('correct-horse');
    expect(result.message).toContain('alice@db.example.com:6543/app');
  });

  it('passes StepstoneErrors through unchanged', () => {
    const original = new StepstoneError('URL_MALFORMED', 'bad');
    expect(classifyConnectionError(original, target)).toBe(original);
  });

  it('server busy or starting → CONNECTION_FAILED with a specific hint', () => {
    expect(classifyConnectionError(pgError('53300', 'sorry, too many clients already'), target).hint).toMatch(/max_connections/);
    expect(classifyConnectionError(pgError('57P03', 'the database system is starting up'), target).hint).toMatch(/retry/);
  });
});
