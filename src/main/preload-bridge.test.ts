// The preload exposes exactly `window.stepstone = { invoke, subscribe }` and only for contract channels.
import { describe, expect, it, vi } from 'vitest';
import type { createFakeElectron } from './fake-electron.testkit';

const fake = vi.hoisted(() => ({ electron: null as unknown as ReturnType<typeof createFakeElectron> }));
vi.mock('electron', async () => {
  const { createFakeElectron } = await import('./fake-electron.testkit');
  fake.electron = createFakeElectron();
  return fake.electron.module;
});

await import('../preload/index');

type Bridge = { invoke(channel: string, request: unknown): Promise<unknown>; subscribe(listener: (e: unknown) => void): () => void };

describe('preload bridge', () => {
  const exposed = () => fake.electron.captured.exposed;

  it('exposes one object with exactly invoke and subscribe', () => {
    expect([...exposed().keys()]).toEqual(['stepstone']);
    expect(Object.keys(exposed().get('stepstone') as object).sort()).toEqual(['invoke', 'subscribe']);
  });

  it('sends contract channels over the one IPC channel and refuses others locally', async () => {
    const bridge = exposed().get('stepstone') as Bridge;
    await expect(bridge.invoke('app:info', {})).resolves.toEqual({ ok: true, value: 'sent' });
    expect(fake.electron.captured.invoked).toEqual([['stepstone:invoke', 'app:info', {}]]);
    await expect(bridge.invoke('stepstone:event', {})).resolves.toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    await expect(bridge.invoke('__proto__', {})).resolves.toMatchObject({ ok: false });
    expect(fake.electron.captured.invoked).toHaveLength(1);
  });

  it('delivers only the event payload to subscribers, and unsubscribes', () => {
    const bridge = exposed().get('stepstone') as Bridge;
    const seen: unknown[] = [];
    const unsubscribe = bridge.subscribe((e) => seen.push(e));
    const listeners = () => fake.electron.captured.rendererListeners.get('stepstone:event') ?? [];
    expect(listeners()).toHaveLength(1);
    const payload = { type: 'app:menu-invoked', command: 'new-migration' };
    listeners()[0]({ sender: 'secret internals' }, payload);
    expect(seen).toEqual([payload]);
    unsubscribe();
    expect(listeners()).toHaveLength(0);
  });
});
