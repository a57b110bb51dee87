import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, type Socket, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Profile, type SslMode } from '../../shared/profile';
import { createTestDatabase, serverUrl, type TestDatabase } from '../../../test/database';
import { failureOf } from '../../../test/failure-of';
import type { ConnectionTarget } from './connection-target';
import { startFakePostgres } from './fake-postgres-server.testkit';
import { testConnection } from './test-connection';
import { resolveKnexfileTarget } from '../project/knexfile-target';
import { openProject } from '../project/open-project';

function targetFor(url: string, extra: { sslMode?: SslMode; password?: string } = {}): ConnectionTarget {
  const profile = Profile.parse({
    id: 'test',
    name: 'test',
    environment: 'development',
    url,
    sslMode: extra.sslMode,
    migrations: { directories: ['/tmp/none'] },
  });
  return { profile, password: extra.password };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let db: TestDatabase;
let server: URL;
beforeAll(async () => {
  db = await createTestDatabase('test_connection');
  server = new URL(serverUrl());
});
afterAll(async () => {
  await db?.drop();
});

describe('testConnection against the real server', () => {
  it('reports version, database, user and latency', async () => {
    const result = await testConnection(targetFor(db.url));
    expect(result.serverVersion).toMatch(/^\d+(\.\d+)?/);
    expect(result.database).toBe(db.name);
    expect(result.user).toBe(decodeURIComponent(server.username) || 'postgres');
    expect(result.latencyMs).toBeGreaterThan(0);
    expect(result.latencyMs).toBeLessThan(10_000);
  });

  it('malformed URL → URL_MALFORMED', async () => {
    const error = await failureOf(testConnection({ profile: { ...targetFor(db.url).profile, url: 'postgres://user:secret@host:notaport/db' } }));
    expect(error.code).toBe('URL_MALFORMED');
    expect(error.message).not.toContain('secret');
  });

  it('a name under .invalid → HOST_UNREACHABLE', async () => {
    const error = await failureOf(testConnection(targetFor('postgres://postgres@stepstone-nowhere.invalid:5432/db')));
    expect(error.code).toBe('HOST_UNREACHABLE');
    expect(error.message).toContain('stepstone-nowhere.invalid');
    expect(error.message).toMatch(/does not resolve|lookup failed/);
  });

  it('a port nobody listens on → CONNECTION_REFUSED', async () => {
    const port = await freePort();
    const error = await failureOf(testConnection(targetFor(`postgres://postgres@127.0.0.1:${port}/db`)));
    expect(error.code).toBe('CONNECTION_REFUSED');
    expect(error.message).toContain(`127.0.0.1:${port}`);
    expect(error.message).toMatch(/is PostgreSQL running/);
  });

  describe('a server that accepts and never answers → CONNECTION_TIMEOUT within the timeout', () => {
    let silent: Server;
    let port: number;
    const accepted = new Set<Socket>();
    beforeAll(async () => {
      silent = createServer((socket) => accepted.add(socket));
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      port = (silent.address() as { port: number }).port;
    });
    afterAll(async () => {
      for (const socket of accepted) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    });
    for (const mode of ['prefer', 'disable'] as const) {
      it(`sslmode ${mode}`, async () => {
        const started = performance.now();
        const error = await failureOf(testConnection(targetFor(`postgres://postgres@127.0.0.1:${port}/db?sslmode=${mode}`), { timeoutMs: 800 }));
        const elapsed = performance.now() - started;
        expect(error.code).toBe('CONNECTION_TIMEOUT');
        expect(error.message).toBe(`127.0.0.1:${port} did not answer within 0.8 s.`);
        expect(elapsed).toBeGreaterThanOrEqual(700);
        expect(elapsed).toBeLessThan(2_500);
      });
    }
  });

  it('a role that does not exist → AUTH_FAILED', async () => {
    const u = new URL(db.url);
    u.username = 'stepstone_no_such_role';
    const error = await failureOf(testConnection(targetFor(u.toString(), { password: 'hunter22' })));
    expect(error.code).toBe('AUTH_FAILED');
    expect(error.message).toContain('stepstone_no_such_role');
    expect(error.message).not.toContain('hunter22');
  });

  it('a database that does not exist → DATABASE_MISSING with a createdb hint', async () => {
    const u = new URL(db.url);
    u.pathname = '/stepstone_no_such_database';
    const error = await failureOf(testConnection(targetFor(u.toString())));
    expect(error.code).toBe('DATABASE_MISSING');
    expect(error.message).toBe(`Database stepstone_no_such_database does not exist on ${server.hostname}:${server.port || 5432}.`);
    expect(error.hint).toContain('createdb');
  });

  it('sslmode require against a server without TLS → TLS_FAILED', async () => {
    const error = await failureOf(testConnection(targetFor(db.url, { sslMode: 'require' })));
    expect(error.code).toBe('TLS_FAILED');
    expect(error.message).toMatch(/does not accept TLS/);
  });

  it('sslmode prefer against a server without TLS connects in plain', async () => {
    const result = await testConnection(targetFor(`${db.url}?sslmode=prefer`));
    expect(result.database).toBe(db.name);
  });
});

describe('testConnection against a fake server speaking the wire protocol', () => {
  it('a password request with no password → PASSWORD_REQUIRED (cleartext and SCRAM)', async () => {
    for (const kind of ['ask-cleartext-password', 'ask-scram-password'] as const) {
      const fake = await startFakePostgres({ behaviour: { kind } });
      try {
        const error = await failureOf(testConnection(targetFor(`postgres://alice@127.0.0.1:${fake.port}/app`), { timeoutMs: 3_000 }));
        expect(error.code, kind).toBe('PASSWORD_REQUIRED');
        expect(error.message).toContain('alice');
        expect(fake.startups()).toBe(1);
      } finally {
        await fake.close();
      }
    }
  });

  it('a wrong password (28P01) → AUTH_FAILED without the password in the message', async () => {
    const fake = await startFakePostgres({
      behaviour: { kind: 'fatal', code: '28P01', message: 'password authentication failed for user "alice"' },
    });
    try {
      const error = await failureOf(testConnection(targetFor(`postgres://alice:s3cr3t-pw@127.0.0.1:${fake.port}/app`)));
      expect(error.code).toBe('AUTH_FAILED');
      expect(error.message).toBe('PostgreSQL refused user alice: wrong password.');
      expect(JSON.stringify({ m: error.message, h: error.hint })).not.toContain('s3cr3t-pw');
    } finally {
      await fake.close();
    }
  });

  describe('a TLS server with a self-signed certificate', () => {
    let dir: string | undefined;
    let tls: { key: string; cert: string } | undefined;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'stepstone-tls-'));
      try {
        execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1', '-days', '1',
          '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
        tls = { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
      } catch {
        tls = undefined; // no openssl binary: the tests below say so and fail rather than pass vacuously
      }
    });
    afterAll(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('verify-full rejects the certificate → TLS_FAILED', async () => {
      expect(tls, 'openssl is needed to make a test certificate').toBeDefined();
      const fake = await startFakePostgres({ behaviour: { kind: 'fatal', code: '28P01', message: 'x' }, tls });
      try {
        const error = await failureOf(testConnection(targetFor(`postgres://alice@127.0.0.1:${fake.port}/app?sslmode=verify-full`)));
        expect(error.code).toBe('TLS_FAILED');
        expect(error.message).toMatch(/certificate/);
        expect(fake.startups()).toBe(0);
      } finally {
        await fake.close();
      }
    });

    it("a knexfile's ssl object with its ca is passed on: the certificate verifies (reaches authentication)", async () => {
      expect(tls, 'openssl is needed to make a test certificate').toBeDefined();
      const fake = await startFakePostgres({ behaviour: { kind: 'fatal', code: '28P01', message: 'password authentication failed' }, tls });
      try {
        writeFileSync(join(dir!, 'knexfile.js'), `const fs = require('fs');
module.exports = { development: { client: 'pg', connection: {
  host: '127.0.0.1', port: ${fake.port}, user: 'alice', password: 'pw', database: 'app',
  ssl: { ca: fs.readFileSync(${JSON.stringify(join(dir!, 'cert.pem'))}), rejectUnauthorized: true },
} } };
`);
        const { profiles } = await openProject(dir!);
        const target = await resolveKnexfileTarget(profiles[0]);
        expect(profiles[0]).not.toHaveProperty('tls');
        // Without the knexfile's ca the self-signed certificate is refused (TLS_FAILED) before authentication.
        const error = await failureOf(testConnection(target));
        expect(error.code, error.message).toBe('AUTH_FAILED');
        expect(fake.startups()).toBe(1);
      } finally {
        await fake.close();
      }
    });

    it('prefer negotiates TLS when the server offers it (reaches authentication)', async () => {
      expect(tls, 'openssl is needed to make a test certificate').toBeDefined();
      const fake = await startFakePostgres({ behaviour: { kind: 'fatal', code: '28P01', message: 'password authentication failed' }, tls });
      try {
        const error = await failureOf(testConnection(targetFor(`postgres://alice:pw@127.0.0.1:${fake.port}/app`)));
        expect(error.code).toBe('AUTH_FAILED');
        expect(fake.startups()).toBe(1);
      } finally {
        await fake.close();
      }
    });
  });
});
