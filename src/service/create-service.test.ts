// The service's dispatch with an in-memory engine: validation, errors as values, safety rules,
// passwords kept out of answers, runs with progress and cancel.
import { describe, expect, it } from 'vitest';
import type { AppEvent, Profile } from '../shared/contract';
import { StepstoneError } from '../engine';
import { createService } from './create-service';
import { createFakeEngine, fakeProfile } from './fake-engine.testkit';
import type { EnginePort } from './engine-port';
import type { SecretStore, ServiceDeps } from './service-deps';

function memorySecrets(): SecretStore & { values: Map<string, string> } {
  const values = new Map<string, string>();
  return {
    values,
    get: async (id) => values.get(id),
    set: async (id, password) => void values.set(id, password),
    delete: async (id) => void values.delete(id),
  };
}

function setup(options: { overrides?: Partial<EnginePort>; deps?: Partial<ServiceDeps> } = {}) {
  const { engine, state } = createFakeEngine(options.overrides);
  const events: AppEvent[] = [];
  const errors: unknown[] = [];
  const service = createService({
    dataDir: '/data',
    mode: 'desktop',
    version: '1.2.3',
    demoMigrationsDir: '/demo/migrations',
    emit: (event) => events.push(event),
    engine,
    logError: (_message, error) => errors.push(error),
    ...options.deps,
  });
  return { service, state, events, errors };
}

const production: Profile = fakeProfile('prod', { environment: 'production', url: 'postgres://postgres@db.internal/shop', backupBeforeMigrate: true });

describe('dispatch', () => {
  it('answers an unknown channel with INVALID_INPUT, never throwing', async () => {
    const { service } = setup();
    await expect(service.dispatch('migrations:explode', {})).resolves.toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: 'Unknown channel "migrations:explode".' } });
    await expect(service.dispatch('toString', {})).resolves.toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('validates requests with the contract and names the bad fields in plain words', async () => {
    const { service, state } = setup();
    const missing = await service.dispatch('migrations:status', {});
    expect(missing).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(!missing.ok && missing.error.message).toMatch(/^Invalid request for migrations:status: profileId: /);
    const wrongType = await service.dispatch('history:list', { profileId: 'demo', limit: 'ten' });
    expect(!wrongType.ok && wrongType.error.message).toContain('limit:');
    expect(await service.dispatch('migrations:plan', { profileId: 'demo', request: { kind: 'sideways' } })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(state.opened).toBe(0);
  });

  it('maps a StepstoneError once, keeping its code, hint and migration', async () => {
    const { service, errors } = setup({
      overrides: {
        getStatus: async () => {
          throw new StepstoneError('LOCKED', 'Locked by another run.', { hint: 'Wait.', migration: '001_a.ts' });
        },
      },
    });
    expect(await service.dispatch('migrations:status', { profileId: 'demo' })).toEqual({
      ok: false,
      error: { code: 'LOCKED', message: 'Locked by another run.', hint: 'Wait.', migration: '001_a.ts' },
    });
    expect(errors).toEqual([]);
  });

  it('turns an unexpected throw into INTERNAL, logs it, and still closes the database', async () => {
    const { service, state, errors } = setup({
      overrides: {
        getStatus: async () => {
          throw new TypeError('boom');
        },
      },
    });
    state.profiles.set('pg', fakeProfile('pg'));
    expect(await service.dispatch('migrations:status', { profileId: 'pg' })).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'boom' } });
    expect(errors).toHaveLength(1);
    expect(state.opened).toBe(1);
    expect(state.closed).toBe(1);
  });

  it('reads status on a read session and lists migration files from the folder without opening any database', async () => {
    const { service, state } = setup();
    state.profiles.set('pg', fakeProfile('pg'));
    expect(await service.dispatch('migrations:files', { profileId: 'demo' })).toEqual({
      ok: true,
      value: { files: [{ name: '001_a.ts' }, { name: '002_b.ts' }, { name: '003_c.ts' }] },
    });
    expect(await service.dispatch('migrations:files', { profileId: 'pg' })).toMatchObject({ ok: true });
    expect(state.opened).toBe(0);
    expect(await service.dispatch('migrations:status', { profileId: 'pg' })).toMatchObject({ ok: true });
    expect(state).toMatchObject({ opened: 1, readOpened: 1, closed: 1 });
    expect(await service.dispatch('migrations:files', { profileId: 'ghost' })).toMatchObject({ ok: false, error: { code: 'PROFILE_NOT_FOUND' } });
  });

  it('reports an unknown profile as PROFILE_NOT_FOUND', async () => {
    const { service } = setup();
    expect(await service.dispatch('migrations:status', { profileId: 'ghost' })).toMatchObject({ ok: false, error: { code: 'PROFILE_NOT_FOUND' } });
  });
});

describe('prefetchStatus', () => {
  function counting(initial: boolean) {
    let reads = 0;
    const ctx = setup({
      overrides: { getStatus: async () => ({ ...(await createFakeEngine().engine.getStatus({} as never)), head: `read ${++reads}` }) },
      deps: initial ? { initialProfile: { profile: fakeProfile('cli') } } : {},
    });
    return { ...ctx, reads: () => reads };
  }
  const headOf = (result: unknown) => (result as { ok: boolean; value: { head: string } }).value.head;

  it("starts the initial server profile's status and hands it to the window's first status call for it", async () => {
    const { service, reads, state } = counting(true);
    state.profiles.set('pg', fakeProfile('pg'));
    service.prefetchStatus();
    service.prefetchStatus(); // the page's second request (after the token's redirect) starts nothing more
    await service.dispatch('app:info', {});
    await service.dispatch('migrations:files', { profileId: 'cli' });
    // Another profile's status is read as usual and leaves the prefetched one in place.
    expect(headOf(await service.dispatch('migrations:status', { profileId: 'pg' }))).toBe('read 2');
    expect(headOf(await service.dispatch('migrations:status', { profileId: 'cli' }))).toBe('read 1');
    // Taken once: the next call reads again.
    expect(headOf(await service.dispatch('migrations:status', { profileId: 'cli' }))).toBe('read 3');
    expect(reads()).toBe(3);
  });

  it('drops the prefetched status when a call may have changed something', async () => {
    const { service, reads } = counting(true);
    service.prefetchStatus();
    await service.dispatch('lock:release', { profileId: 'cli', force: false });
    expect(headOf(await service.dispatch('migrations:status', { profileId: 'cli' }))).toBe('read 2');
    expect(reads()).toBe(2);
  });

  it('leaves the embedded demo alone: its first start would hold up the page', async () => {
    const { service, reads } = counting(false);
    service.prefetchStatus();
    await service.dispatch('app:info', {});
    expect(reads()).toBe(0);
    expect(headOf(await service.dispatch('migrations:status', { profileId: 'demo' }))).toBe('read 1');
  });
});

describe('app and profiles', () => {
  it('describes the shell and lists the demo as built in', async () => {
    const { service } = setup({ deps: { pickFolder: async () => null } });
    expect(await service.dispatch('app:info', {})).toEqual({
      ok: true,
      value: { mode: 'desktop', version: '1.2.3', dataDir: '/data', initialProfileId: null, canPickFolders: true, canOpenEditor: false, canShowInFolder: false },
    });
    const list = await service.dispatch('profiles:list', {});
    expect(list).toMatchObject({ ok: true, value: [{ id: 'demo', builtIn: true, kind: 'embedded' }] });
  });

  it('keeps a saved password in the keychain, strips it from the URL and never answers it', async () => {
    const secrets = memorySecrets();
    const { service, state } = setup({ deps: { secrets } });
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
    const { service } = setup();
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
    const { service, state } = setup({ deps: { mode: 'web' } });
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
    const { service, state } = setup();
    const answer = await service.dispatch('profiles:test', { profile: fakeProfile('draft'), password: 'pw' });
    expect(answer).toMatchObject({ ok: true, value: { serverVersion: '15.0' } });
    expect(state.targets.at(-1)).toMatchObject({ profile: { id: 'draft' }, password: 'pw' });
  });

  it('refuses to change or delete built-in profiles', async () => {
    const { service } = setup();
    expect(await service.dispatch('profiles:delete', { profileId: 'demo' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await service.dispatch('profiles:save', { profile: fakeProfile('demo') })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('opens the command-line profile first, with its password in session memory', async () => {
    const cli = fakeProfile('cli', { name: 'Command line' });
    const { service, state } = setup({ deps: { mode: 'web', initialProfile: { profile: cli, password: 'from-url' } } });
    expect(await service.dispatch('app:info', {})).toMatchObject({ ok: true, value: { initialProfileId: 'cli' } });
    expect(await service.dispatch('profiles:list', {})).toMatchObject({ ok: true, value: [{ id: 'demo' }, { id: 'cli', builtIn: true, hasPassword: true }] });
    await service.dispatch('migrations:status', { profileId: 'cli' });
    expect(state.targets.at(-1)?.password).toBe('from-url');
  });

  it('saves the profiles of an opened project, asking the shell for a folder when none is given', async () => {
    const { service, state } = setup({ deps: { pickFolder: async () => '/projects/shop' } });
    const opened = await service.dispatch('projects:open', {});
    expect(opened).toMatchObject({
      ok: true,
      value: { knexfile: '/projects/shop/knexfile.ts', profiles: [{ id: 'project-dev', source: { knexfile: '/projects/shop/knexfile.ts' } }], warnings: ['staging is skipped: it uses client "mysql2".'] },
    });
    expect(state.profiles.has('project-dev')).toBe(true);
    const web = setup({ deps: { mode: 'web' } });
    expect(await web.service.dispatch('projects:open', {})).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});

describe('migrations', () => {
  it('plans and executes, streaming progress events for the run id', async () => {
    const { service, state, events } = setup();
    const plan = await service.dispatch('migrations:plan', { profileId: 'demo', request: { kind: 'upgrade' } });
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    const run = await service.dispatch('migrations:execute', { profileId: 'demo', plan: plan.value, runId: 'run-1' });
    expect(run).toMatchObject({ ok: true, value: { outcome: 'succeeded' } });
    expect(state.applied).toEqual(['001_a.ts', '002_b.ts', '003_c.ts']);
    const progressed = events.filter((e) => e.type === 'migrations:progressed' && e.runId === 'run-1');
    expect(progressed).toHaveLength(6);
    expect(progressed[0]).toMatchObject({ event: { type: 'started', name: '001_a.ts', index: 0, total: 3 } });
    expect(state.opened).toBe(1); // the embedded demo's one session, reused
  });

  it('requires the database name to execute on production, before touching the database', async () => {
    const { service, state } = setup();
    state.profiles.set('prod', production);
    const plan = await service.dispatch('migrations:plan', { profileId: 'prod', request: { kind: 'upgrade' } });
    if (!plan.ok) throw new Error('plan failed');
    const opened = state.opened;
    const none = await service.dispatch('migrations:execute', { profileId: 'prod', plan: plan.value, runId: 'r1' });
    expect(none).toMatchObject({ ok: false, error: { code: 'CONFIRMATION_REQUIRED', hint: 'Type shop exactly to confirm.' } });
    const wrong = await service.dispatch('migrations:execute', { profileId: 'prod', plan: plan.value, runId: 'r2', confirmation: 'Shop' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'CONFIRMATION_REQUIRED' } });
    expect(state.opened).toBe(opened);
    expect(state.applied).toEqual([]);
    const skip = await service.dispatch('migrations:execute', { profileId: 'prod', plan: plan.value, runId: 'r3', confirmation: 'shop', skipBackup: true });
    expect(skip).toMatchObject({ ok: false, error: { code: 'BACKUP_REQUIRED' } });
    const right = await service.dispatch('migrations:execute', { profileId: 'prod', plan: plan.value, runId: 'r4', confirmation: 'shop' });
    expect(right).toMatchObject({ ok: true, value: { outcome: 'succeeded', backupId: 'backup-of-prod' } });
  });

  it("carries the engine's confirmation on plans and statuses, and asks for exactly that on every change", async () => {
    const { service, state } = setup();
    state.profiles.set('prod', production);
    state.profiles.set('dev', fakeProfile('dev', { environment: 'development', url: 'postgres://postgres@db.internal/shop' }));
    const typed = { kind: 'typed-name', name: 'shop' };
    // The name is the profile's database (not the status's `database`, which the fake says is "fake").
    expect(await service.dispatch('migrations:plan', { profileId: 'prod', request: { kind: 'upgrade' } })).toMatchObject({ ok: true, value: { confirmation: typed } });
    expect(await service.dispatch('migrations:status', { profileId: 'prod' })).toMatchObject({ ok: true, value: { database: 'fake', confirmation: typed } });
    expect(await service.dispatch('migrations:plan', { profileId: 'dev', request: { kind: 'rollback', mode: 'all' } })).toMatchObject({ ok: true, value: { confirmation: { kind: 'click' } } });
    expect(await service.dispatch('migrations:status', { profileId: 'dev' })).toMatchObject({ ok: true, value: { confirmation: { kind: 'click' } } });

    // What the plan asks is what execute, restore and repair require: the status's name, nothing else.
    const plan = await service.dispatch('migrations:plan', { profileId: 'prod', request: { kind: 'upgrade' } });
    if (!plan.ok) throw new Error('plan failed');
    expect(await service.dispatch('migrations:execute', { profileId: 'prod', plan: plan.value, runId: 'c1', confirmation: 'fake' })).toMatchObject({
      ok: false,
      error: { code: 'CONFIRMATION_REQUIRED', message: 'The confirmation "fake" does not match the database name of "Profile prod".', hint: 'Type shop exactly to confirm.' },
    });
    expect(await service.dispatch('backups:restore', { profileId: 'prod', backupId: 'b1' })).toMatchObject({
      ok: false,
      error: { code: 'CONFIRMATION_REQUIRED', message: '"Profile prod" is a production profile: a restore needs the database name typed to confirm.' },
    });
    expect(await service.dispatch('backups:restore', { profileId: 'prod', backupId: 'b1', confirmation: 'shop' })).toMatchObject({ ok: true });
    // A click is all a development profile's change asks.
    expect(await service.dispatch('backups:restore', { profileId: 'dev', backupId: 'b1' })).toMatchObject({ ok: true });
    expect(await service.dispatch('migrations:execute', { profileId: 'prod', plan: plan.value, runId: 'c2', confirmation: 'shop' })).toMatchObject({ ok: true, value: { outcome: 'succeeded' } });
  });

  it('repairs an interrupted migration through the engine, guarded like a run: production needs the name, read-only refuses', async () => {
    const calls: unknown[] = [];
    const { service, state } = setup({
      overrides: {
        repairInterrupted: async (_db, name, action) => {
          calls.push([name, action]);
          return { name: name ?? '', action, sql: [], message: 'done', historyId: 7 };
        },
      },
    });
    state.profiles.set('prod', production);
    state.profiles.set('ro', fakeProfile('ro', { readOnly: true }));
    const request = { name: '002_b.ts', action: 'retry' };
    expect(await service.dispatch('migrations:repair', { profileId: 'prod', ...request })).toMatchObject({ ok: false, error: { code: 'CONFIRMATION_REQUIRED' } });
    expect(await service.dispatch('migrations:repair', { profileId: 'ro', ...request, confirmation: 'x' })).toMatchObject({ ok: false, error: { code: 'READ_ONLY' } });
    expect(await service.dispatch('migrations:repair', { profileId: 'prod', name: '002_b.ts', action: 'drop-everything', confirmation: 'shop' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(calls).toEqual([]);
    expect(await service.dispatch('migrations:repair', { profileId: 'prod', ...request, confirmation: 'shop' })).toMatchObject({ ok: true, value: { historyId: 7 } });
    expect(calls).toEqual([['002_b.ts', 'retry']]);
  });

  it('answers the status with the leftovers a look found, and null when they cannot be read', async () => {
    const seen: boolean[] = [];
    const leftovers = { partialFiles: [], removedPartialFiles: 0, databases: [{ name: 'restored', purpose: 'restore', pid: 1, host: 'h', createdAt: null, stale: true }], droppedDatabases: [] };
    const { service } = setup({ overrides: { leftovers: async (_t, _p, options) => (seen.push(options.clean), leftovers) } });
    expect(await service.dispatch('migrations:status', { profileId: 'demo' })).toMatchObject({ ok: true, value: { leftovers } });
    expect(await service.dispatch('backups:cleanup', { profileId: 'demo' })).toMatchObject({ ok: true, value: leftovers });
    expect(seen).toEqual([false, true]);
    const failing = setup({ overrides: { leftovers: async () => Promise.reject(new Error('no server')) } });
    expect(await failing.service.dispatch('migrations:status', { profileId: 'demo' })).toMatchObject({ ok: true, value: { leftovers: null } });
  });

  it('refuses to run on a read-only profile', async () => {
    const { service, state } = setup();
    state.profiles.set('ro', fakeProfile('ro', { readOnly: true }));
    const plan = await service.dispatch('migrations:plan', { profileId: 'ro', request: { kind: 'upgrade' } });
    if (!plan.ok) throw new Error('plan failed');
    expect(await service.dispatch('migrations:execute', { profileId: 'ro', plan: plan.value, runId: 'r' })).toMatchObject({ ok: false, error: { code: 'READ_ONLY' } });
  });

  it('cancels a running plan by its run id and forgets the run afterwards', async () => {
    let release!: () => void;
    const { service, state, events } = setup();
    state.gate = new Promise<void>((resolve) => (release = resolve));
    const plan = await service.dispatch('migrations:plan', { profileId: 'demo', request: { kind: 'upgrade' } });
    if (!plan.ok) throw new Error('plan failed');
    const running = service.dispatch('migrations:execute', { profileId: 'demo', plan: plan.value, runId: 'long' });
    await expect.poll(() => events.length).toBe(1); // paused inside the first migration
    expect(await service.dispatch('migrations:execute', { profileId: 'demo', plan: plan.value, runId: 'long' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await service.dispatch('migrations:cancel', { runId: 'long' })).toEqual({ ok: true, value: { cancelling: true } });
    release();
    expect(await running).toMatchObject({ ok: true, value: { outcome: 'cancelled' } });
    expect(state.applied).toEqual([]);
    expect(await service.dispatch('migrations:cancel', { runId: 'long' })).toEqual({ ok: true, value: { cancelling: false } });
  });

  it('opens a migration in the editor only where the shell can', async () => {
    const opened: string[] = [];
    const desktop = setup({ deps: { openInEditor: async (path) => void opened.push(path) } });
    expect(await desktop.service.dispatch('migrations:open-in-editor', { profileId: 'demo', name: '001_a.ts' })).toEqual({ ok: true, value: { opened: true } });
    expect(opened).toEqual(['/demo/migrations/001_a.ts']);
    const web = setup({ deps: { mode: 'web' } });
    expect(await web.service.dispatch('migrations:open-in-editor', { profileId: 'demo', name: '001_a.ts' })).toEqual({ ok: true, value: { opened: false } });
  });

  it('creates a migration with the default language', async () => {
    const { service } = setup();
    expect(await service.dispatch('migrations:create', { profileId: 'demo', name: 'add_x' })).toEqual({ ok: true, value: { name: '999_add_x.ts', path: '/demo/migrations/999_add_x.ts' } });
  });
});

describe('backups', () => {
  it('requires the database name to restore over a production database, not into a new one', async () => {
    const restored: Array<string | undefined> = [];
    const { service, state } = setup({
      overrides: {
        restoreBackup: async (_target, _place, _id, options) => {
          restored.push(options.intoDatabase);
          return { database: options.intoDatabase ?? 'shop', head: null, durationMs: 1 };
        },
      },
    });
    state.profiles.set('prod', production);
    expect(await service.dispatch('backups:restore', { profileId: 'prod', backupId: 'b1' })).toMatchObject({ ok: false, error: { code: 'CONFIRMATION_REQUIRED' } });
    expect(restored).toEqual([]);
    expect(await service.dispatch('backups:restore', { profileId: 'prod', backupId: 'b1', intoDatabase: 'shop_copy' })).toMatchObject({ ok: true, value: { database: 'shop_copy' } });
    expect(await service.dispatch('backups:restore', { profileId: 'prod', backupId: 'b1', confirmation: 'shop' })).toMatchObject({ ok: true, value: { database: 'shop' } });
  });
});

describe('embedded databases', () => {
  it('keeps one session open and never runs two calls on it at once', async () => {
    let running = 0;
    let overlapped = false;
    const { service, state } = setup({
      overrides: {
        getStatus: async () => {
          running += 1;
          if (running > 1) overlapped = true;
          await new Promise((resolve) => setImmediate(resolve));
          running -= 1;
          return { applied: [], pending: [], missing: [], edited: [], outOfOrder: [], unchecked: [], lock: { locked: false, state: 'free', holders: [] }, head: null, lastBatch: 0, ledgerExists: true, serverVersion: '18', database: 'demo' };
        },
      },
    });
    const answers = await Promise.all([1, 2, 3, 4].map(() => service.dispatch('migrations:status', { profileId: 'demo' })));
    expect(answers.every((a) => a.ok)).toBe(true);
    expect(overlapped).toBe(false);
    expect(state.opened).toBe(1);
    expect(state.closed).toBe(0);
    await service.shutdown();
    expect(state.closed).toBe(1);
  });

  it('opens and closes a server database per call', async () => {
    const { service, state } = setup();
    state.profiles.set('pg', fakeProfile('pg'));
    await Promise.all([service.dispatch('migrations:status', { profileId: 'pg' }), service.dispatch('migrations:status', { profileId: 'pg' })]);
    expect(state.opened).toBe(2);
    expect(state.closed).toBe(2);
  });
});

describe('migrations:watch', () => {
  it('watches a profile\'s folders once and pushes folder changes as events; shutdown stops watching', async () => {
    const closed: string[] = [];
    let report: ((names: string[]) => void) | undefined;
    let watches = 0;
    const { service, state, events } = setup({
      overrides: {
        watchMigrations: (settings, onChange) => {
          watches++;
          report = onChange;
          return { folders: settings.directories, close: () => closed.push(settings.directories[0]) };
        },
      },
    });
    state.profiles.set('p1', fakeProfile('p1'));
    await expect(service.dispatch('migrations:watch', { profileId: 'p1' })).resolves.toEqual({ ok: true, value: { folders: ['/tmp/migrations'] } });
    await service.dispatch('migrations:watch', { profileId: 'p1' });
    expect(watches).toBe(1);
    report!(['20250101_a.ts']);
    expect(events).toContainEqual({ type: 'migrations:folder-changed', profileId: 'p1', names: ['20250101_a.ts'] });
    await service.shutdown();
    expect(closed).toEqual(['/tmp/migrations']);
  });
});

describe('migrations:dry-run', () => {
  it('shares a dry run still going with a second request for the same plan', async () => {
    let runs = 0;
    let finish!: () => void;
    const gate = new Promise<void>((r) => (finish = r));
    const { service, state } = setup({
      overrides: {
        dryRun: async () => {
          runs++;
          await gate;
          return { where: 'live', whereDetail: 'x', migrations: [], combinedDiff: { changes: [] }, ok: true };
        },
      },
    });
    state.profiles.set('p1', fakeProfile('p1'));
    const plan = (await service.dispatch('migrations:plan', { profileId: 'p1', request: { kind: 'upgrade' } })) as { ok: true; value: unknown };
    const first = service.dispatch('migrations:dry-run', { profileId: 'p1', plan: plan.value });
    const second = service.dispatch('migrations:dry-run', { profileId: 'p1', plan: plan.value });
    await new Promise((r) => setTimeout(r, 20));
    finish();
    expect((await first).ok && (await second).ok).toBe(true);
    expect(runs).toBe(1);
    await service.dispatch('migrations:dry-run', { profileId: 'p1', plan: plan.value });
    expect(runs).toBe(2); // finished runs are not kept: the next opening checks again
  });
});

describe('backups:reveal', () => {
  const backup = { id: 'b1', file: '/data/backups/b1.pgdump', createdAt: '2025-01-01T00:00:00Z', method: 'pg_dump' as const, database: 'db', serverVersion: '15', head: null, operation: 'manual', sizeBytes: 1, checksum: 'x', profileId: 'p1', tables: [], unsupported: [], durationMs: 1 };
  it('shows the backup file in the file manager on the desktop, and says so in app:info', async () => {
    const shown: string[] = [];
    const { service, state } = setup({ overrides: { listBackups: async () => [backup] }, deps: { showInFolder: (path) => void shown.push(path) } });
    state.profiles.set('p1', fakeProfile('p1'));
    await expect(service.dispatch('app:info', {})).resolves.toMatchObject({ ok: true, value: { canShowInFolder: true } });
    await expect(service.dispatch('backups:reveal', { profileId: 'p1', backupId: 'b1' })).resolves.toEqual({ ok: true, value: { shown: true } });
    expect(shown).toEqual(['/data/backups/b1.pgdump']);
    await expect(service.dispatch('backups:reveal', { profileId: 'p1', backupId: 'nope' })).resolves.toMatchObject({ ok: false, error: { code: 'BACKUP_NOT_FOUND' } });
  });

  it('is not offered without a file manager (web mode)', async () => {
    const { service, state } = setup({ overrides: { listBackups: async () => [backup] } });
    state.profiles.set('p1', fakeProfile('p1'));
    await expect(service.dispatch('app:info', {})).resolves.toMatchObject({ ok: true, value: { canShowInFolder: false } });
    await expect(service.dispatch('backups:reveal', { profileId: 'p1', backupId: 'b1' })).resolves.toEqual({ ok: true, value: { shown: false } });
  });
});
