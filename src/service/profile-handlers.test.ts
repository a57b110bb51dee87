// The app and profile channels with an in-memory engine: what app:info says, passwords kept out
// of answers (keychain on the desktop, memory in web mode), built-in and project profiles.
import { describe, expect, it } from 'vitest';
import { fakeProfile } from './fake-engine.testkit';
import { setupService } from './service-with-fake-engine.testkit';
import type { SecretStore } from './service-deps';

function memorySecrets(): SecretStore & { values: Map<string, string> } {
  const values = new Map<string, string>();
  return {
    values,
    get: async (id) => values.get(id),
    set: async (id, password) => void values.set(id, password),
    delete: async (id) => void values.delete(id),
  };
}

describe('app and profiles', () => {
  it('describes the shell and lists the demo as built in', async () => {
    const { service } = setupService({ deps: { pickFolder: async () => null } });
    expect(await service.dispatch('app:info', {})).toEqual({
      ok: true,
      value: { mode: 'desktop', version: '1.2.3', dataDir: '/data', initialProfileId: null, canPickFolders: true, canOpenEditor: false, canShowInFolder: false },
    });
    const list = await service.dispatch('profiles:list', {});
    expect(list).toMatchObject({ ok: true, value: [{ id: 'demo', builtIn: true, kind: 'embedded' }] });
  });

  it('keeps a saved password in the keychain, strips it from the URL and never answers it', async () => {
    const secrets = memorySecrets();
    const { service, state } = setupService({ deps: { secrets } });
    const saved = await service.dispatch('profiles:save', { profile: { ...fakeProfile('p1'), url: 'postgres://app:s3cr%40t@db/app' } });
    expect(saved).toMatchObject({ ok: true, value: { id: 'p1', hasPassword: true, passwordSource: 'keychain', url: 'postgres://app@db/app' } });
    expect(JSON.stringify(saved)).not.toContain('s3cr');
    expect(secrets.values.get('p1')).toBe('s3cr@t');
    expect(JSON.stringify([...state.profiles.values()])).not.toContain('s3cr');

    await service.dispatch('migrations:status', { profileId: 'p1' });
    expect(state.targets.at(-1)?.password).toBe('s3cr@t');

    expect(await service.dispatch('profiles:delete', { profileId: 'p1' })).toEqual({ ok: true, value: { deleted: true } });
    expect(secrets.values.has('p1')).toBe(false);
  });

  it("profiles:parse-url answers the engine's reading of a URL (a Unix socket too) or URL_MALFORMED", async () => {
    const { service } = setupService();
    expect(await service.dispatch('profiles:parse-url', { url: 'postgres://ada:p%40ss@/billing?host=/var/run/postgresql&sslmode=disable' })).toEqual({
      ok: true,
      value: { host: '/var/run/postgresql', port: 5432, user: 'ada', password: 'p@ss', database: 'billing', sslMode: 'disable' },
    });
    expect(await service.dispatch('profiles:parse-url', { url: 'postgres://ada@db/app%zz' })).toMatchObject({
      ok: false,
      error: { code: 'URL_MALFORMED', message: expect.stringMatching(/database name .* "%" not followed by two hexadecimal digits/) },
    });
  });

  it('in web mode keeps provided passwords in memory only', async () => {
    const { service, state } = setupService({ deps: { mode: 'web' } });
    state.profiles.set('p2', fakeProfile('p2', { passwordSource: 'prompt' }));
    expect(await service.dispatch('profiles:list', {})).toMatchObject({ ok: true, value: [{ id: 'demo' }, { id: 'p2', hasPassword: false }] });
    // Each view carries the engine's backup decision (the real rule, through the façade), for the form to show.
    expect(await service.dispatch('profiles:list', {})).toMatchObject({
      ok: true,
      value: [{ id: 'demo' }, { id: 'p2', backup: { take: false, reason: 'Backups before migrating are turned off for this connection.' } }],
    });
    expect(await service.dispatch('profiles:provide-password', { profileId: 'p2', password: 'typed' })).toEqual({ ok: true, value: { ok: true } });
    expect(await service.dispatch('profiles:list', {})).toMatchObject({ ok: true, value: [{ id: 'demo' }, { id: 'p2', hasPassword: true }] });
    await service.dispatch('profiles:test', { profileId: 'p2' });
    expect(state.targets.at(-1)?.password).toBe('typed');
    expect(await service.dispatch('profiles:provide-password', { profileId: 'nobody', password: 'x' })).toMatchObject({ ok: false, error: { code: 'PROFILE_NOT_FOUND' } });
  });

  it('tests an unsaved profile with the typed password', async () => {
    const { service, state } = setupService();
    const answer = await service.dispatch('profiles:test', { profile: fakeProfile('draft'), password: 'pw' });
    expect(answer).toMatchObject({ ok: true, value: { serverVersion: '15.0' } });
    expect(state.targets.at(-1)).toMatchObject({ profile: { id: 'draft' }, password: 'pw' });
  });

  it('refuses to change or delete built-in profiles', async () => {
    const { service } = setupService();
    expect(await service.dispatch('profiles:delete', { profileId: 'demo' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await service.dispatch('profiles:save', { profile: fakeProfile('demo') })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('opens the command-line profile first, with its password in session memory', async () => {
    const cli = fakeProfile('cli', { name: 'Command line' });
    const { service, state } = setupService({ deps: { mode: 'web', initialProfile: { profile: cli, password: 'from-url' } } });
    expect(await service.dispatch('app:info', {})).toMatchObject({ ok: true, value: { initialProfileId: 'cli' } });
    expect(await service.dispatch('profiles:list', {})).toMatchObject({ ok: true, value: [{ id: 'demo' }, { id: 'cli', builtIn: true, hasPassword: true }] });
    await service.dispatch('migrations:status', { profileId: 'cli' });
    expect(state.targets.at(-1)?.password).toBe('from-url');
  });

  it('saves the profiles of an opened project, asking the shell for a folder when none is given', async () => {
    const { service, state } = setupService({ deps: { pickFolder: async () => '/projects/shop' } });
    const opened = await service.dispatch('projects:open', {});
    expect(opened).toMatchObject({
      ok: true,
      value: { knexfile: '/projects/shop/knexfile.ts', profiles: [{ id: 'project-dev', source: { knexfile: '/projects/shop/knexfile.ts' } }], warnings: ['staging is skipped: it uses client "mysql2".'] },
    });
    expect(state.profiles.has('project-dev')).toBe(true);
    const web = setupService({ deps: { mode: 'web' } });
    expect(await web.service.dispatch('projects:open', {})).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});
