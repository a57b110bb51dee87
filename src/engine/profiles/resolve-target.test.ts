import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Profile, type ProfileInput } from '../../shared/profile';
import { createTestDatabase } from '../../../test/database';
import { testConnection } from '../connection/test-connection';
import { failureOf } from '../../../test/failure-of';
import { openProject } from '../project/open-project';
import { embeddedDemoProfile } from './embedded-demo-profile';
import { type SecretSource, resolveTarget } from './resolve-target';

const root = mkdtempSync(join(tmpdir(), 'stepstone-resolve-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function profile(extra: Partial<ProfileInput>): Profile {
  return Profile.parse({ id: 'p1', name: 'Orders (staging)', environment: 'staging', url: 'postgres://app@db.example:5432/orders', migrations: { directories: ['/m'] }, ...extra });
}
const keychain: SecretSource['keychain'] = async (id) => (id === 'p1' ? 'from-keychain' : undefined);
const session = (map: Record<string, string>): SecretSource['session'] => (id) => map[id];

describe('resolveTarget', () => {
  it('none: no password, or the URL\'s own', async () => {
    expect(await resolveTarget(profile({}), {})).toEqual({ profile: profile({}) });
    const withUrlPassword = profile({ url: 'postgres://app:inline@db.example/orders' });
    expect((await resolveTarget(withUrlPassword, {})).password).toBeUndefined(); // the URL carries it; pg reads it from there
  });

  it('keychain: the saved password; PASSWORD_REQUIRED when there is none or no keychain', async () => {
    expect((await resolveTarget(profile({ passwordSource: 'keychain' }), { keychain })).password).toBe('from-keychain');
    const none = await failureOf(resolveTarget(profile({ id: 'p2', passwordSource: 'keychain' }), { keychain }));
    expect(none.code).toBe('PASSWORD_REQUIRED');
    expect(none.message).toBe('Stepstone needs the password for Orders (staging).');
    const noKeychain = await failureOf(resolveTarget(profile({ passwordSource: 'keychain' }), {}));
    expect(noKeychain.code).toBe('PASSWORD_REQUIRED');
    expect(noKeychain.hint).toMatch(/keychain, which is not available/);
  });

  it('env: the named variable; CONFIG_INVALID naming it when unset or unnamed', async () => {
    const env = { ORDERS_PW: 'from-env' };
    expect((await resolveTarget(profile({ passwordSource: 'env', passwordEnv: 'ORDERS_PW' }), {}, env)).password).toBe('from-env');
    const unset = await failureOf(resolveTarget(profile({ passwordSource: 'env', passwordEnv: 'ORDERS_PW' }), {}, {}));
    expect(unset.code).toBe('CONFIG_INVALID');
    expect(unset.message).toBe("Orders (staging)'s password comes from ORDERS_PW, which is not set.");
    expect((await failureOf(resolveTarget(profile({ passwordSource: 'env' }), {}, env))).code).toBe('CONFIG_INVALID');
  });

  it('prompt: the password typed this session, else PASSWORD_REQUIRED', async () => {
    expect((await resolveTarget(profile({ passwordSource: 'prompt' }), { session: session({ p1: 'typed' }) })).password).toBe('typed');
    const error = await failureOf(resolveTarget(profile({ passwordSource: 'prompt' }), { session: session({}) }));
    expect(error.code).toBe('PASSWORD_REQUIRED');
    expect(error.message).toBe('Stepstone needs the password for Orders (staging).');
  });

  it('a password typed this session wins over keychain and environment', async () => {
    const typed = { session: session({ p1: 'typed-now' }), keychain };
    expect((await resolveTarget(profile({ passwordSource: 'keychain' }), typed)).password).toBe('typed-now');
    expect((await resolveTarget(profile({ passwordSource: 'env', passwordEnv: 'X' }), typed, { X: 'env' })).password).toBe('typed-now');
    expect((await resolveTarget(profile({}), typed)).password).toBe('typed-now');
  });

  it('knexfile: re-reads the knexfile for fields and password', async () => {
    const dir = join(root, 'kf');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    writeFileSync(join(dir, 'knexfile.js'), `module.exports = { staging: { client: 'pg', connection: { host: 'h1', database: 'd1', user: 'u1', password: process.env.ST_RT_PW } } };\n`);
    const [p] = (await openProject(dir)).profiles;
    process.env.ST_RT_PW = 'kf-secret';
    try {
      const target = await resolveTarget(p, {});
      expect(target.password).toBe('kf-secret');
      expect(target.profile).toMatchObject({ host: 'h1', database: 'd1', user: 'u1', passwordSource: 'knexfile' });
    } finally {
      delete process.env.ST_RT_PW;
    }
    expect((await resolveTarget(p, {})).password).toBeUndefined();
  });

  it('embedded: no secret at all', async () => {
    const demo = embeddedDemoProfile('/d', '/m');
    expect(await resolveTarget(demo, {})).toEqual({ profile: demo });
  });

  it('a resolved target connects to the real server', async () => {
    const db = await createTestDatabase('resolve_target');
    try {
      const p = profile({ url: db.url, environment: 'development', passwordSource: 'env', passwordEnv: 'ST_RT_REAL' });
      const result = await testConnection(await resolveTarget(p, {}, { ST_RT_REAL: 'unused-under-trust' }));
      expect(result.database).toBe(db.name);
    } finally {
      await db.drop();
    }
  });
});
