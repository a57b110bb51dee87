import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Profile, type ProfileInput } from '../../shared/profile';
import { failureOf } from '../../../test/failure-of';
import { embeddedDemoProfile } from './embedded-demo-profile';
import { SerialWrites } from '../serial-writes';
import { deleteProfile, getProfile, listProfiles, profilesFilePath, saveProfile } from './profile-store';

const writes = new SerialWrites();

const root = mkdtempSync(join(tmpdir(), 'stepstone-profiles-'));
let counter = 0;
const freshDataDir = (): string => join(root, `data${++counter}`, 'nested'); // not created yet on purpose
afterAll(() => rmSync(root, { recursive: true, force: true }));

function input(id: string, extra: Partial<ProfileInput> = {}): ProfileInput {
  return { id, name: `Profile ${id}`, environment: 'staging', url: `postgres://app@db.example:5432/${id}`, migrations: { directories: ['/srv/app/migrations'] }, ...extra };
}

describe('profile store', () => {
  it('starts empty, then saves, replaces by id, gets, lists in order and deletes', async () => {
    const dataDir = freshDataDir();
    expect(await listProfiles(dataDir)).toEqual([]);
    const a = await saveProfile(dataDir, input('a'), writes);
    expect(a).toEqual(Profile.parse(input('a'))); // defaults filled in
    await saveProfile(dataDir, input('b', { environment: 'production' }), writes);
    await saveProfile(dataDir, input('a', { name: 'Renamed' }), writes);
    expect((await listProfiles(dataDir)).map((p) => [p.id, p.name])).toEqual([['a', 'Renamed'], ['b', 'Profile b']]);
    expect((await getProfile(dataDir, 'b'))?.environment).toBe('production');
    expect(await getProfile(dataDir, 'zzz')).toBeUndefined();
    expect(await deleteProfile(dataDir, 'a', writes)).toBe(true);
    expect(await deleteProfile(dataDir, 'a', writes)).toBe(false);
    expect((await listProfiles(dataDir)).map((p) => p.id)).toEqual(['b']);
  });

  it('never writes a password: a stray password field is dropped, a URL with one is refused', async () => {
    const dataDir = freshDataDir();
    await saveProfile(dataDir, { ...input('p', { passwordSource: 'keychain' }), password: 'Sup3r-Secret-Pw' } as ProfileInput, writes);
    const refused = await failureOf(saveProfile(dataDir, input('q', { url: 'postgres://app:Other-Secret-Pw@db.example/q' }), writes));
    expect(refused.code).toBe('INVALID_INPUT');
    expect(refused.message).not.toContain('Other-Secret-Pw');
    const refusedParam = await failureOf(saveProfile(dataDir, input('r', { url: 'postgres://app@db.example/r?password=Third-Secret' }), writes));
    expect(refusedParam.code).toBe('INVALID_INPUT');

    const text = readFileSync(profilesFilePath(dataDir), 'utf8');
    expect(text).toContain('"id": "p"');
    expect(text).not.toMatch(/Secret/);
    expect(text).not.toMatch(/"password"/);
  });

  it('concurrent saves in one process all land, and no temp files are left behind', async () => {
    const dataDir = freshDataDir();
    await Promise.all(Array.from({ length: 20 }, (_, i) => saveProfile(dataDir, input(`c${i}`), writes)));
    expect((await listProfiles(dataDir)).map((p) => p.id).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `c${i}`).sort());
    expect(readdirSync(join(dataDir))).toEqual(['profiles.json']);
  });

  it('a damaged file is reported, not discarded, and not overwritten by a save', async () => {
    for (const [damage, why] of [
      ['{"version":1,"profiles":[{"id":"x"', /not valid JSON/],
      ['{"version":1,"profiles":[{"id":"x","name":"X","environment":"moon","migrations":{"directories":["/m"]}}]}', /profiles\.0\.environment/],
      ['[]', /damaged/],
    ] as const) {
      const dataDir = freshDataDir();
      await saveProfile(dataDir, input('seed'), writes);
      writeFileSync(profilesFilePath(dataDir), damage);
      const listed = await failureOf(listProfiles(dataDir));
      expect(listed.code).toBe('CONFIG_INVALID');
      expect(listed.message).toMatch(why);
      expect(listed.message).toContain(profilesFilePath(dataDir));
      expect(listed.hint).toBeTruthy();
      expect((await failureOf(saveProfile(dataDir, input('new'), writes))).code).toBe('CONFIG_INVALID');
      expect((await failureOf(deleteProfile(dataDir, 'seed', writes))).code).toBe('CONFIG_INVALID');
      expect(readFileSync(profilesFilePath(dataDir), 'utf8')).toBe(damage);
    }
  });

  it('an invalid profile is refused with the field named', async () => {
    const error = await failureOf(saveProfile(freshDataDir(), input('bad', { port: 70000 }), writes));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain('port');
  });
});

describe('embeddedDemoProfile', () => {
  it('is the built-in PGlite demo in the data folder', () => {
    const demo = embeddedDemoProfile('/data/stepstone', '/app/migrations');
    expect(Profile.parse(demo)).toEqual(demo);
    expect(demo).toMatchObject({
      id: 'demo',
      name: 'Demo (embedded)',
      environment: 'local',
      kind: 'embedded',
      database: '/data/stepstone/demo-db',
      migrations: { directories: ['/app/migrations'] },
    });
  });
});
