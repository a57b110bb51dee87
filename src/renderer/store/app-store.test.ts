import { describe, expect, it, vi } from 'vitest';
import { createAppStore } from './app-store';
import { createFakeClient } from '../test/fake-client';
import { LISTING_AFTER_MS } from './connections-slice';

function setup(options: Parameters<typeof createFakeClient>[0] = {}) {
  const fake = createFakeClient(options);
  let id = 0;
  const store = createAppStore(fake.client, { newId: () => `run-${++id}`, now: () => 1000 });
  return { fake, store };
}

describe('app store', () => {
  it('opens the built-in demo first and loads its status, history, backups and drift', async () => {
    const { store, fake } = setup();
    await store.getState().init();
    const state = store.getState();
    expect(state.activeProfileId).toBe('demo');
    expect(state.ready).toBe(true);
    expect(state.status?.pending).toHaveLength(4);
    expect(fake.calls.map((c) => c.channel)).toEqual(
      expect.arrayContaining(['app:info', 'profiles:list', 'migrations:status', 'history:list', 'backups:list', 'schema:drift']),
    );
  });

  it('lists the folder only when the status is slow: a status that answers at once asks for no listing', async () => {
    const { store, fake } = setup();
    await store.getState().init();
    await new Promise((resolve) => setTimeout(resolve, LISTING_AFTER_MS + 50));
    expect(fake.calls.map((c) => c.channel)).not.toContain('migrations:files');
    expect(store.getState().listing).toBeNull();
  });

  it('asks for the history, backups, leftovers and drift once the status has been painted, not in the task that renders it', async () => {
    const { fake } = setup();
    const channels: string[] = [];
    const client = {
      ...fake.client,
      invoke: (async (channel: string, request: unknown) => {
        channels.push(channel);
        return (fake.client.invoke as (c: string, r: unknown) => Promise<unknown>)(channel, request);
      }) as typeof fake.client.invoke,
    };
    const store = createAppStore(client);
    let atStatus: string[] | null = null;
    store.subscribe((s) => {
      if (s.status !== null && atStatus === null) {
        atStatus = [...channels];
        // Still in the status's task: nothing more is asked before its turn ends (the paint).
        queueMicrotask(() => queueMicrotask(() => (atStatus = [...channels])));
      }
    });
    await store.getState().init();
    expect(atStatus).not.toContain('history:list');
    expect(atStatus).not.toContain('schema:drift');
    expect(atStatus).not.toContain('backups:leftovers');
    expect(channels).toEqual(expect.arrayContaining(['history:list', 'backups:list', 'backups:leftovers', 'schema:drift']));
  });

  it('lists the folder while the database is read, asks for the status once, and leaves the drift check until the status is in', async () => {
    const fake = createFakeClient({ appliedCount: 1 });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const channels: string[] = [];
    // The status is held back, as when the embedded database is still starting.
    const client = {
      ...fake.client,
      invoke: (async (channel: string, request: unknown) => {
        channels.push(channel);
        if (channel === 'migrations:status') await held;
        return (fake.client.invoke as (c: string, r: unknown) => Promise<unknown>)(channel, request);
      }) as typeof fake.client.invoke,
    };
    const store = createAppStore(client);
    const init = store.getState().init();
    await vi.waitFor(() => expect(store.getState().listing).toEqual(['20250101000000_create_users.ts', '20250102000000_add_email.ts', '20250103000000_create_orders.ts', '20250104000000_add_index.ts']));
    expect(store.getState()).toMatchObject({ status: null, statusLoading: true, ready: false });
    expect(channels).not.toContain('schema:drift');
    release();
    await init;
    expect(store.getState()).toMatchObject({ listing: null, ready: true });
    expect(store.getState().status?.applied).toHaveLength(1);
    expect(channels.filter((c) => c === 'migrations:status')).toHaveLength(1);
    expect(channels.indexOf('schema:drift')).toBeGreaterThan(channels.indexOf('migrations:status'));
  });

  it('plans, executes with progress events routed by run id, then refreshes status and history', async () => {
    const { store } = setup();
    await store.getState().init();
    await store.getState().openPlan({ kind: 'upgrade' });
    expect(store.getState().planDialog?.plan?.steps).toHaveLength(4);
    // non-transactional is learned from the plan
    expect(store.getState().knownTransactional['20250104000000_add_index.ts']).toBe(false);
    await store.getState().execute();
    const { run, status, history, planDialog } = store.getState();
    expect(planDialog).toBeNull();
    expect(run?.result?.outcome).toBe('succeeded');
    expect(run?.steps.every((s) => s.state === 'done')).toBe(true);
    expect(run?.log.some((l) => l.message.startsWith('Applying 20250101000000_create_users.ts (1 of 4)'))).toBe(true);
    expect(status?.applied).toHaveLength(4);
    expect(history[0].operation).toBe('upgrade');
  });

  it('routes live progress by run id while the run is open, ignoring other runs', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { store, fake } = setup({ gate: () => gate });
    await store.getState().init();
    await store.getState().openPlan({ kind: 'upgrade' });
    const executing = store.getState().execute();
    await Promise.resolve();
    const run = store.getState().run!;
    expect(run.running).toBe(true);
    expect(run.steps[0].state).toBe('running');
    for (const l of fake.listeners) l({ type: 'migrations:progressed', runId: 'other', event: { type: 'log', level: 'info', message: 'not mine' } });
    for (const l of fake.listeners) l({ type: 'migrations:progressed', runId: run.runId, event: { type: 'log', level: 'warn', message: 'mine' } });
    expect(store.getState().run!.log.map((l) => l.message)).toContain('mine');
    expect(store.getState().run!.log.map((l) => l.message)).not.toContain('not mine');
    release();
    await executing;
    expect(store.getState().run!.running).toBe(false);
  });

  it('keeps the failure, the state left and the backup id when a migration fails', async () => {
    const { store } = setup({ failOn: '20250102000000_add_email.ts' });
    await store.getState().init();
    await store.getState().openPlan({ kind: 'upgrade' });
    await store.getState().execute();
    const run = store.getState().run!;
    expect(run.result?.outcome).toBe('failed');
    expect(run.result?.stateAfter).toMatch(/Nothing applied/);
    expect(run.steps.map((s) => s.state)).toEqual(['rolled-back', 'failed', 'skipped', 'skipped']);
    expect(run.result?.backupId).toBe('b1');
    await store.getState().restoreAfterRun('billing');
    expect(store.getState().run?.restore.done).toMatch(/Restored billing/);
  });

  it('reports a refused execution (production without the typed name) as the run error', async () => {
    const { store } = setup();
    await store.getState().init();
    await store.getState().openProfile('prod');
    await store.getState().openPlan({ kind: 'upgrade' });
    await store.getState().execute('wrong');
    expect(store.getState().run?.error?.code).toBe('CONFIRMATION_REQUIRED');
    await store.getState().openPlan({ kind: 'upgrade' });
    await store.getState().execute('billing');
    expect(store.getState().run?.result?.outcome).toBe('succeeded');
  });

  it('asks for a password when status says PASSWORD_REQUIRED, and reloads once given', async () => {
    const { store } = setup({ passwordRequired: true });
    await store.getState().init();
    expect(store.getState().passwordPromptFor).toBe('demo');
    expect(store.getState().ready).toBe(false);
    expect(await store.getState().providePassword('demo', 'wrong')).toMatchObject({ code: 'AUTH_FAILED' });
    expect(await store.getState().providePassword('demo', 'secret')).toBeNull();
    expect(store.getState().passwordPromptFor).toBeNull();
    expect(store.getState().ready).toBe(true);
  });

  it('previews a pending migration with its own statements from a dry run', async () => {
    const { store } = setup();
    await store.getState().init();
    await store.getState().loadPreview('20250103000000_create_orders.ts');
    const preview = store.getState().previews['20250103000000_create_orders.ts'];
    expect(preview.error).toBeNull();
    expect(preview.data?.name).toBe('20250103000000_create_orders.ts');
    expect(preview.data?.statements[0].sql).toContain('create table');
  });

  it('creates a migration, refreshes and selects it', async () => {
    const { store } = setup();
    await store.getState().init();
    const result = await store.getState().createMigration('add_notes', 'ts');
    expect(result.ok).toBe(true);
    expect(store.getState().status?.pending.map((p) => p.name)).toContain('20250301000000_add_notes.ts');
    expect(store.getState().selectedName).toBe('20250301000000_add_notes.ts');
  });

  it('lists backups newest first and runs a manual backup as a task', async () => {
    const { store } = setup({ appliedCount: 2 });
    await store.getState().init();
    await store.getState().createBackup();
    await store.getState().createBackup();
    expect(store.getState().backups.map((b) => b.id)).toEqual(['b2', 'b1']);
    expect(store.getState().backupTask?.done).toMatch(/Backed up to/);
  });
});

describe('desktop menu commands', () => {
  it('switch views directly and hand dialog commands to their components', async () => {
    const fake = createFakeClient();
    const store = createAppStore(fake.client);
    const emit = (command: 'view-history' | 'new-migration') => fake.listeners.forEach((l) => l({ type: 'app:menu-invoked', command }));
    emit('view-history');
    expect(store.getState().view).toBe('history');
    emit('new-migration');
    emit('new-migration');
    expect(store.getState().menuCommand).toEqual({ command: 'new-migration', seq: 2 });
  });
});

describe('restoring a backup', () => {
  it('into the active database, or into a new one by name', async () => {
    const fake = createFakeClient();
    const store = createAppStore(fake.client);
    await store.getState().init();
    expect(await store.getState().restoreBackup('b1')).toBeNull();
    expect(await store.getState().restoreBackup('b1', undefined, 'billing_copy')).toBeNull();
    const restores = fake.calls.filter((c) => c.channel === 'backups:restore').map((c) => c.request as { intoDatabase?: string });
    expect(restores.map((r) => r.intoDatabase)).toEqual([undefined, 'billing_copy']);
    expect(store.getState().backupTask?.done).toMatch(/Restored billing_copy/);
  });
  it('an older answer arriving after a newer one is not applied: status, drift, history and backups show the newest read', async () => {
    // Two reads of each overlap (the refresh after a run, then one on focus); the server answers the first last.
    const before = createFakeClient({ appliedCount: 1 });
    const after = createFakeClient({ appliedCount: 2 });
    let read = 0;
    let releaseFirst!: () => void;
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    const held = new Set(['migrations:status', 'schema:drift', 'history:list', 'backups:list']);
    let holding = false;
    const client = {
      ...before.client,
      invoke: (async (channel: string, request: unknown) => {
        const fake = holding && held.has(channel) && read++ < held.size ? before : holding ? after : before;
        if (fake === before && holding) await firstHeld;
        return (fake.client.invoke as (c: string, r: unknown) => Promise<unknown>)(channel, request);
      }) as typeof before.client.invoke,
    };
    const store = createAppStore(client);
    await store.getState().init();
    expect(store.getState().status?.applied).toHaveLength(1);
    holding = true;
    const first = Promise.all([store.getState().refreshStatus(), store.getState().refreshDrift(), store.getState().refreshHistory(), store.getState().refreshBackups()]);
    await Promise.all([store.getState().refreshStatus(), store.getState().refreshDrift(), store.getState().refreshHistory(), store.getState().refreshBackups()]);
    expect(store.getState().status?.applied).toHaveLength(2);
    expect(store.getState().statusLoading).toBe(false);
    releaseFirst();
    await first;
    expect(store.getState().status?.applied).toHaveLength(2);
    expect(store.getState().statusLoading).toBe(false);
  });
});
