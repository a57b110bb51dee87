import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Profile } from '../../shared/profile';
import { createTestDatabase, serverUrl, type TestDatabase } from '../../../test/database';
import { failureOf } from '../../../test/failure-of';
import { createEngineContext } from '../engine-context';
import { connectOptions, pgConfigOf, retargetDatabase } from './connection-target';
import { parsePostgresUrl, redactUrl, splitUrlPassword, urlHasPassword, urlWithoutPassword } from './postgres-url';
import { testConnection } from './test-connection';

const targetFor = (url: string) => ({ profile: Profile.parse({ id: 't', name: 't', environment: 'development', url, migrations: { directories: ['/tmp/none'] } }) });

describe('parsePostgresUrl', () => {
  it('reads a Unix socket folder given as the host parameter or percent-encoded as the host', () => {
    expect(parsePostgresUrl('postgres://postgres@/db?host=/var/run/postgresql')).toMatchObject({ host: '/var/run/postgresql', port: 5432, user: 'postgres', database: 'db' });
    expect(parsePostgresUrl('postgresql://u@%2Fvar%2Frun%2Fpostgresql:5433/db')).toMatchObject({ host: '/var/run/postgresql', port: 5433, database: 'db' });
  });

  it('reads TCP URLs as before: escapes, IPv6, sslmode, password', () => {
    expect(parsePostgresUrl('postgres://us%40er:p%3Ass@[::1]:6543/my%20db?sslmode=require')).toEqual({
      host: '::1', port: 6543, user: 'us@er', password: 'p:ss', database: 'my db', sslMode: 'require',
    });
    expect(parsePostgresUrl('postgres://u@h/db?sslmode=allow').sslMode).toBe('prefer');
    expect(parsePostgresUrl('postgres://u@h/db').sslMode).toBe('prefer');
  });

  it.each([
    ['postgres://u:se%zzcret@h/db', /The password in the database URL has a "%" not followed by two hexadecimal digits\./, /zz/],
    ['postgres://u@h/app%zz', /The database name in the database URL has a "%" not followed by two hexadecimal digits \("%zz"\)/, /URI malformed/],
    ['postgres://ad%4@h/db', /The user name in the database URL has a "%"/, /URI malformed/],
    ['postgres://u@h/db?application_name=a%g1', /The query string in the database URL has a "%" not followed by two hexadecimal digits \("%g1"\)/, /URI malformed/],
  ])('a broken percent-escape in %s names the part', async (url, message, not) => {
    const error = await failureOf(Promise.resolve().then(() => parsePostgresUrl(url)));
    expect(error.code).toBe('URL_MALFORMED');
    expect(error.message).toMatch(message);
    expect(error.message).not.toMatch(not);
    expect(error.hint).toMatch(/%25/);
  });

  it.each([
    ['mysql://u@h/db', /must start with postgres:\/\/ or postgresql:\/\/, not mysql:\/\//],
    ['postgres://u@h', /names no database/],
    ['postgres://u@h/db?sslmode=maybe', /Unknown sslmode "maybe"/],
    ['postgres://u@h:99999/db', /malformed/],
  ])('refuses %s', async (url, message) => {
    const error = await failureOf(Promise.resolve().then(() => parsePostgresUrl(url)));
    expect(error.code).toBe('URL_MALFORMED');
    expect(error.message).toMatch(message);
  });

  it('splits, removes and masks passwords, also of socket URLs and password parameters', () => {
    expect(splitUrlPassword('postgres://u:p%40w@/db?host=/run/pg')).toEqual({ url: 'postgres://u@/db?host=/run/pg', password: 'p@w' });
    expect(urlWithoutPassword('postgres://u@h/db?password=x&sslmode=require')).toBe('postgres://u@h/db?sslmode=require');
    expect(urlHasPassword('postgres://u@h/db?password=x')).toBe(true);
    expect(urlHasPassword('postgres://u@/db?host=/run/pg')).toBe(false);
    expect(redactUrl('postgres://u:secret@/db?host=/run/pg')).toBe('postgres://u:***@/db?host=/run/pg');
    expect(redactUrl('postgres://u@h/db?password=secret')).not.toContain('secret');
  });

  it('retargets a socket URL to another database', () => {
    const moved = retargetDatabase(targetFor('postgres://u@/db?host=/run/pg'), 'other db');
    expect(moved.profile.url).toBe('postgres://u@/other%20db?host=/run/pg');
  });
});

describe('a Unix socket URL against the real server', () => {
  let db: TestDatabase;
  let socketUrl: string;
  beforeAll(async () => {
    db = await createTestDatabase('socket_url');
    const client = new pg.Client({ connectionString: serverUrl() });
    await client.connect();
    const { rows } = await client.query<{ dirs: string; port: string; user: string }>(
      'select current_setting(\'unix_socket_directories\') as dirs, current_setting(\'port\') as port, current_user as user',
    );
    await client.end();
    const dir = rows[0].dirs.split(',')[0].trim();
    socketUrl = `postgres://${encodeURIComponent(rows[0].user)}@/${db.name}?host=${dir}&port=${rows[0].port}`;
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('connects through the socket (no TLS probe, no TLS)', async () => {
    const target = targetFor(socketUrl);
    const context = createEngineContext();
    expect(pgConfigOf(target, connectOptions(context, 'test')).ssl).toBe(false);
    const result = await testConnection(target, { context });
    expect(result.database).toBe(db.name);
    const client = new pg.Client(pgConfigOf(target, connectOptions(context, 'test')));
    await client.connect();
    try {
      // The server sees a Unix socket connection: no client address.
      const { rows } = await client.query<{ addr: string | null }>('select inet_client_addr()::text as addr');
      expect(rows[0].addr).toBeNull();
    } finally {
      await client.end();
    }
    expect(context.caches.serverTls.size).toBe(0);
  });
});
