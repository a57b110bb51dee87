// The migration channels with an in-memory engine: runs with progress and cancel, the confirmation
// and read-only rules on every change, repair, folder watching and shared dry runs.
import { describe, expect, it } from 'vitest';
import { StatusView } from '../shared/contract';
import { fakeProfile } from './fake-engine.testkit';
import { productionProfile, setupService } from './service-with-fake-engine.testkit';

describe('migrations', () => {
  it('plans and executes, streaming progress events for the run id', async () => {
    const { service, state, events } = setupService();
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
    const { service, state } = setupService();
    state.profiles.set('prod', productionProfile);
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
    const { service, state } = setupService();
    state.profiles.set('prod', productionProfile);
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
    const { service, state } = setupService({
      overrides: {
        repairInterrupted: async (_db, name, action) => {
          calls.push([name, action]);
          return { name: name ?? '', action, sql: [], message: 'done', historyId: 7 };
        },
      },
    });
    state.profiles.set('prod', productionProfile);
    state.profiles.set('ro', fakeProfile('ro', { readOnly: true }));
    const request = { name: '002_b.ts', action: 'retry' };
    expect(await service.dispatch('migrations:repair', { profileId: 'prod', ...request })).toMatchObject({ ok: false, error: { code: 'CONFIRMATION_REQUIRED' } });
    expect(await service.dispatch('migrations:repair', { profileId: 'ro', ...request, confirmation: 'x' })).toMatchObject({ ok: false, error: { code: 'READ_ONLY' } });
    expect(await service.dispatch('migrations:repair', { profileId: 'prod', name: '002_b.ts', action: 'drop-everything', confirmation: 'shop' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(calls).toEqual([]);
    expect(await service.dispatch('migrations:repair', { profileId: 'prod', ...request, confirmation: 'shop' })).toMatchObject({ ok: true, value: { historyId: 7 } });
    expect(calls).toEqual([['002_b.ts', 'retry']]);
  });

  it("answers the window's status without what it never shows: pending files' paths and the unchecked list", async () => {
    const { service } = setupService();
    const answer = await service.dispatch('migrations:status', { profileId: 'demo' });
    if (!answer.ok) throw new Error(answer.error.message);
    const status = answer.value as Record<string, unknown> & { pending: object[] };
    expect(status.pending.length).toBeGreaterThan(0);
    for (const pending of status.pending) expect(Object.keys(pending).sort()).toEqual(['name', 'outOfOrder']);
    expect('unchecked' in status).toBe(false);
    expect(StatusView.safeParse(status).success).toBe(true);
  });

  it('answers the leftovers on their own (a look; Clean up removes), not with the status, which no longer waits for them', async () => {
    const seen: boolean[] = [];
    const leftovers = { partialFiles: [], removedPartialFiles: 0, databases: [{ name: 'restored', purpose: 'restore', pid: 1, host: 'h', createdAt: null, stale: true }], droppedDatabases: [] };
    const { service } = setupService({ overrides: { leftovers: async (_t, _p, options) => (seen.push(options.clean), leftovers) } });
    const status = await service.dispatch('migrations:status', { profileId: 'demo' });
    expect(status).toMatchObject({ ok: true, value: { applied: expect.any(Array) } });
    expect(status.ok && 'leftovers' in (status.value as object)).toBe(false);
    expect(seen).toEqual([]);
    expect(await service.dispatch('backups:leftovers', { profileId: 'demo' })).toEqual({ ok: true, value: leftovers });
    expect(await service.dispatch('backups:cleanup', { profileId: 'demo' })).toMatchObject({ ok: true, value: leftovers });
    expect(seen).toEqual([false, true]);
    // Unreadable leftovers fail their own call only.
    const failing = setupService({ overrides: { leftovers: async () => Promise.reject(new Error('no server')) } });
    expect(await failing.service.dispatch('migrations:status', { profileId: 'demo' })).toMatchObject({ ok: true });
    expect(await failing.service.dispatch('backups:leftovers', { profileId: 'demo' })).toMatchObject({ ok: false });
  });

  it('refuses to run on a read-only profile', async () => {
    const { service, state } = setupService();
    state.profiles.set('ro', fakeProfile('ro', { readOnly: true }));
    const plan = await service.dispatch('migrations:plan', { profileId: 'ro', request: { kind: 'upgrade' } });
    if (!plan.ok) throw new Error('plan failed');
    expect(await service.dispatch('migrations:execute', { profileId: 'ro', plan: plan.value, runId: 'r' })).toMatchObject({ ok: false, error: { code: 'READ_ONLY' } });
  });

  it('cancels a running plan by its run id and forgets the run afterwards', async () => {
    let release!: () => void;
    const { service, state, events } = setupService();
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
    const desktop = setupService({ deps: { openInEditor: async (path) => void opened.push(path) } });
    expect(await desktop.service.dispatch('migrations:open-in-editor', { profileId: 'demo', name: '001_a.ts' })).toEqual({ ok: true, value: { opened: true } });
    expect(opened).toEqual(['/demo/migrations/001_a.ts']);
    const web = setupService({ deps: { mode: 'web' } });
    expect(await web.service.dispatch('migrations:open-in-editor', { profileId: 'demo', name: '001_a.ts' })).toEqual({ ok: true, value: { opened: false } });
  });

  it('creates a migration with the default language', async () => {
    const { service } = setupService();
    expect(await service.dispatch('migrations:create', { profileId: 'demo', name: 'add_x' })).toEqual({ ok: true, value: { name: '999_add_x.ts', path: '/demo/migrations/999_add_x.ts' } });
  });
});

describe('migrations:watch', () => {
  it('watches a profile\'s folders once and pushes folder changes as events; shutdown stops watching', async () => {
    const closed: string[] = [];
    let report: ((names: string[]) => void) | undefined;
    let watches = 0;
    const { service, state, events } = setupService({
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
    const { service, state } = setupService({
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
