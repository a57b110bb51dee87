// A knexfile's `ssl` object (ca, cert, key) reaches pg_dump / pg_restore / psql: files in a private folder,
// named in PGSSLROOTCERT / PGSSLCERT / PGSSLKEY, gone afterwards — also when the tool fails or the process is interrupted.
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Profile } from '../../shared/profile';
import type { ConnectionTarget } from '../connection/connection-target';
import { createEngineContext } from '../engine-context';
import { readKnexfileConnection } from '../project/knexfile-connection';
import { libpqInvocation, restorePgDumpInto } from './pg-dump-backup';

const CA = '-----BEGIN CERTIFICATE-----\nMIIBroot\n-----END CERTIFICATE-----\n';
const CERT = '-----BEGIN CERTIFICATE-----\nMIIBclient\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\nMIIEsecretkeymaterial\n-----END PRIVATE KEY-----\n';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'stepstone-libpq-test-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function profileOf(fields: Partial<Profile>): Profile {
  return {
    id: 'p', name: 'Shop', environment: 'production', kind: 'postgres', passwordSource: 'none',
    migrations: { directories: ['/m'], tableName: 'knex_migrations' }, transactionMode: 'knex', backupBeforeMigrate: true, readOnly: false, ...fields,
  };
}

/** The target a knexfile environment with this `ssl` object gives (its mode from rejectUnauthorized, its material). */
async function knexfileTarget(ssl: Record<string, unknown>): Promise<ConnectionTarget> {
  const read = await readKnexfileConnection({ host: 'db.internal', port: 5433, user: 'app', database: 'shop', password: 'pw', ssl }, 'production', []);
  return { profile: profileOf(read.fields), password: read.password, tls: read.tls };
}

const mode = async (path: string) => (await stat(path)).mode & 0o777;

describe('libpqInvocation with a knexfile ssl object', () => {
  it('writes ca, cert and key 0600 into one 0700 folder, names them to libpq with verify-full, and removes them', async () => {
    const context = createEngineContext({ env: { PATH: '/usr/bin', PGSSLROOTCERT: '/elsewhere/root.crt', PGSSLKEY: '/elsewhere/key' } });
    const target = await knexfileTarget({ ca: CA, cert: Buffer.from(CERT), key: KEY });
    const { env, args, dispose } = await libpqInvocation(target, context, 'backup', undefined, root);
    expect(env).toMatchObject({ PGSSLMODE: 'verify-full', PGPASSWORD: 'pw', PATH: '/usr/bin' });
    expect(args).toEqual(['--host', 'db.internal', '--port', '5433', '--username', 'app', '--no-password', '--dbname', 'shop']);
    const [folder] = await readdir(root);
    const dir = join(root, folder);
    expect(env.PGSSLROOTCERT).toBe(join(dir, 'root.crt'));
    expect(env.PGSSLCERT).toBe(join(dir, 'client.crt'));
    expect(env.PGSSLKEY).toBe(join(dir, 'client.key'));
    expect(await mode(dir)).toBe(0o700);
    for (const [variable, text] of [['PGSSLROOTCERT', CA], ['PGSSLCERT', CERT], ['PGSSLKEY', KEY]] as const) {
      expect(await mode(env[variable]!)).toBe(0o600);
      expect(await readFile(env[variable]!, 'utf8')).toBe(text);
    }
    // The key is in its file, nowhere in the arguments.
    expect(args.join(' ')).not.toContain('secretkey');
    await dispose();
    expect(await readdir(root)).toEqual([]);
    await dispose(); // twice is harmless
  });

  it('with rejectUnauthorized: false gives require and the client certificate, but no root certificate libpq would verify against', async () => {
    const context = createEngineContext({ env: {} });
    const target = await knexfileTarget({ rejectUnauthorized: false, ca: [CA, CA], cert: CERT, key: KEY });
    const { env, dispose } = await libpqInvocation(target, context, 'restore', 'other', root);
    expect(env.PGSSLMODE).toBe('require');
    expect(env.PGSSLROOTCERT).toBeUndefined();
    expect(await readFile(env.PGSSLCERT!, 'utf8')).toBe(CERT);
    expect(await readFile(env.PGSSLKEY!, 'utf8')).toBe(KEY);
    await dispose();
    expect(await readdir(root)).toEqual([]);
  });

  it('writes nothing without material, for a Unix socket, or with TLS turned off', async () => {
    const context = createEngineContext({ env: {} });
    const plain = await libpqInvocation({ profile: profileOf({ url: 'postgres://app@db.internal/shop?sslmode=verify-full' }) }, context, 'backup', undefined, root);
    expect(plain.env).toMatchObject({ PGSSLMODE: 'verify-full' });
    expect(plain.env.PGSSLROOTCERT).toBeUndefined();
    const socket = await libpqInvocation({ profile: profileOf({ url: 'postgres://app@/shop?host=/var/run/postgresql' }), tls: { ca: CA, key: KEY } }, context, 'backup', undefined, root);
    expect(socket.env.PGSSLKEY).toBeUndefined();
    const off = await libpqInvocation({ profile: profileOf({ url: 'postgres://app@db.internal/shop', sslMode: 'disable' }), tls: { ca: CA, key: KEY } }, context, 'backup', undefined, root);
    expect(off.env).toMatchObject({ PGSSLMODE: 'disable' });
    expect(off.env.PGSSLKEY).toBeUndefined();
    expect(await readdir(root)).toEqual([]);
  });

  it('an interrupt (Ctrl-C, SIGTERM) removes the files of a tool still running', async () => {
    const context = createEngineContext({ env: {} });
    const { env } = await libpqInvocation(await knexfileTarget({ ca: CA, cert: CERT, key: KEY }), context, 'backup', undefined, root);
    expect(existsSync(env.PGSSLKEY!)).toBe(true);
    await context.interrupts.runPending(); // what the SIGINT/SIGTERM listener runs
    expect(await readdir(root)).toEqual([]);
  });
});

describe('a pg_restore given the TLS files', () => {
  it('sees them in its environment, and they are gone once it has failed', async () => {
    const out = join(root, 'seen');
    const fake = join(root, 'pg_restore');
    // Records what it was given (the variables, the modes of the key and its folder, the root certificate), then fails.
    await writeFile(
      fake,
      `#!/bin/sh\ncat > /dev/null\nenv | grep '^PGSSL' | sort > "${out}.env"\nstat -c '%a' "$PGSSLKEY" "$(dirname "$PGSSLKEY")" > "${out}.modes"\ncat "$PGSSLROOTCERT" > "${out}.ca"\necho 'pg_restore: error: could not connect' >&2\nexit 1\n`,
    );
    await chmod(fake, 0o755);
    const archive = join(root, 'backup.dump');
    await writeFile(archive, 'PGDMP');
    const logged: string[] = [];
    const context = createEngineContext({ env: { PATH: process.env.PATH }, log: (_level, message) => logged.push(message) });
    const target = await knexfileTarget({ ca: CA, cert: CERT, key: KEY });
    const tools = { pgDump: '/nonexistent/pg_dump', pgRestore: fake, psql: null, version: '16.0', major: 16 };
    const failure = await restorePgDumpInto(target, context, tools, archive, 'shop_copy').catch((error: Error) => error);
    expect(failure).toMatchObject({ code: 'RESTORE_FAILED' });
    expect((failure as Error).message).not.toContain('secretkey');
    const seen = Object.fromEntries((await readFile(`${out}.env`, 'utf8')).trim().split('\n').map((line) => line.split('=')));
    expect(Object.keys(seen)).toEqual(['PGSSLCERT', 'PGSSLKEY', 'PGSSLMODE', 'PGSSLROOTCERT']);
    expect(seen.PGSSLMODE).toBe('verify-full');
    expect((await readFile(`${out}.modes`, 'utf8')).trim().split('\n')).toEqual(['600', '700']);
    expect(await readFile(`${out}.ca`, 'utf8')).toBe(CA);
    for (const variable of ['PGSSLROOTCERT', 'PGSSLCERT', 'PGSSLKEY']) expect(existsSync(seen[variable])).toBe(false);
    expect(logged.join('\n')).not.toContain('secretkey');
  });
});
