// The store's side of repairs, clean-ups and the plan dialog's dry run, against the fake client:
// what is asked of the service, in which order, and what the store shows afterwards.
import { describe, expect, it } from 'vitest';
import type { Channel } from '../../shared/contract';
import { createAppStore } from './app-store';
import { createFakeClient } from '../test/fake-client';
import { cleanupMessage } from './repair-slice';

/** The fake client, with `extra` answering channels it does not know and `hold` delaying some. */
function setup(extra: Partial<Record<Channel, (request: any) => unknown>> = {}, hold: Partial<Record<Channel, Promise<void>>> = {}) {
  const fake = createFakeClient({ appliedCount: 1 });
  const calls: { channel: string; request: any }[] = [];
  const client = {
    ...fake.client,
    invoke: (async (channel: Channel, request: unknown) => {
      calls.push({ channel, request });
      await hold[channel];
      const answer = extra[channel];
      if (answer) {
        const value = answer(request);
        return value instanceof Error ? { ok: false, error: { code: 'REPAIR_UNAVAILABLE', message: value.message } } : { ok: true, value };
      }
      return (fake.client.invoke as (c: string, r: unknown) => Promise<unknown>)(channel, request);
    }) as typeof fake.client.invoke,
  };
  let id = 0;
  const store = createAppStore(client, { newId: () => `id-${++id}`, now: () => 1000 });
  return { store, calls };
}

describe('the plan dialog’s dry run', () => {
  it('is started with its own run id and cancelled before the plan runs without waiting for it', async () => {
    let release!: () => void;
    const { store, calls } = setup({}, { 'migrations:lint': new Promise<void>((r) => (release = r)) });
    await store.getState().init();
    const opening = store.getState().openPlan({ kind: 'upgrade' });
    await expect.poll(() => store.getState().planDialog?.dryRun.loading).toBe(true);
    const lint = calls.find((c) => c.channel === 'migrations:lint')!;
    expect(lint.request.runId).toBe(store.getState().planDialog?.dryRunId);
    await store.getState().execute();
    const order = calls.map((c) => c.channel);
    expect(calls.find((c) => c.channel === 'migrations:cancel')?.request).toEqual({ runId: lint.request.runId });
    expect(order.indexOf('migrations:cancel')).toBeLessThan(order.indexOf('migrations:execute'));
    release();
    await opening;
  });

  it('is cancelled when the dialog closes while it runs, and not when it is done', async () => {
    let release!: () => void;
    const { store, calls } = setup({}, { 'migrations:lint': new Promise<void>((r) => (release = r)) });
    await store.getState().init();
    const opening = store.getState().openPlan({ kind: 'upgrade' });
    await expect.poll(() => store.getState().planDialog?.dryRun.loading).toBe(true);
    store.getState().closePlan();
    expect(calls.filter((c) => c.channel === 'migrations:cancel')).toHaveLength(1);
    release();
    await opening;

    const done = setup();
    await done.store.getState().init();
    await done.store.getState().openPlan({ kind: 'upgrade' });
    expect(done.store.getState().planDialog?.dryRun.loading).toBe(false);
    await done.store.getState().execute();
    expect(done.calls.filter((c) => c.channel === 'migrations:cancel')).toEqual([]);
  });
});

describe('repairs and clean-ups', () => {
  it('asks for the chosen repair with the typed name, then reads the status and history again and shows what was done', async () => {
    const { store, calls } = setup({ 'migrations:repair': (r) => ({ name: r.name, action: r.action, sql: [], message: `${r.name} recorded as applied.`, historyId: 3 }) });
    await store.getState().init();
    store.getState().openRepair('20250102000000_add_email.ts');
    expect(store.getState().repairFor).toBe('20250102000000_add_email.ts');
    const before = calls.length;
    expect(await store.getState().repairMigration('20250102000000_add_email.ts', 'complete', 'billing')).toBeNull();
    const after = calls.slice(before);
    expect(after[0]).toEqual({ channel: 'migrations:repair', request: { profileId: 'demo', name: '20250102000000_add_email.ts', action: 'complete', confirmation: 'billing' } });
    expect(after.map((c) => c.channel)).toEqual(expect.arrayContaining(['migrations:status', 'history:list']));
    expect(store.getState().repairNotice).toEqual({ profileId: 'demo', message: '20250102000000_add_email.ts recorded as applied.' });
  });

  it('returns a refused repair’s error and still reads the state again', async () => {
    const { store, calls } = setup({ 'migrations:repair': () => new Error('Cannot complete x: index is invalid. Nothing was changed.') });
    await store.getState().init();
    const before = calls.length;
    expect(await store.getState().repairMigration('x', 'complete')).toMatchObject({ code: 'REPAIR_UNAVAILABLE' });
    expect(calls.slice(before).map((c) => c.channel)).toContain('migrations:status');
    expect(store.getState().repairNotice).toBeNull();
  });

  it('cleans up and says what went and what a live process keeps', async () => {
    const leftovers = { partialFiles: [], removedPartialFiles: 2, databases: [{ name: 'kept', purpose: 'dry-run', pid: 1, host: 'h', createdAt: null, stale: false }], droppedDatabases: ['shop_restored'] };
    const { store, calls } = setup({ 'backups:cleanup': () => leftovers, 'backups:leftovers': () => leftovers });
    await store.getState().init();
    const before = calls.length;
    expect(await store.getState().cleanupLeftovers()).toBeNull();
    // What remains is read again and shown (the kept one).
    expect(calls.slice(before).map((c) => c.channel)).toEqual(expect.arrayContaining(['backups:cleanup', 'backups:leftovers']));
    expect(store.getState().leftovers).toEqual(leftovers);
    expect(store.getState().repairNotice?.message).toBe('Dropped 1 database (shop_restored); removed 2 partial backup files. 1 leftover still in use by a running process was kept.');
    expect(cleanupMessage({ partialFiles: [], removedPartialFiles: 0, databases: [], droppedDatabases: [] })).toMatch(/^Nothing to clean up/);
  });
});
