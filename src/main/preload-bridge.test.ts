// @vitest-environment happy-dom
// The preload exposes exactly `window.stepstone = { invoke, subscribe }`, forwards calls untouched
// (main checks and validates them), and cancels middle-click activation.
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

  it('forwards every call over the one IPC channel, unchanged: the main process validates it', async () => {
    const bridge = exposed().get('stepstone') as Bridge;
    await expect(bridge.invoke('app:info', {})).resolves.toEqual({ ok: true, value: 'sent' });
    await bridge.invoke('not:a-channel', { x: 1 });
    expect(fake.electron.captured.invoked).toEqual([
      ['stepstone:invoke', 'app:info', {}],
      ['stepstone:invoke', 'not:a-channel', { x: 1 }],
    ]);
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
    expect(() => bridge.subscribe('nope' as never)).toThrow(TypeError);
  });

  it('cancels the default action of a middle click', () => {
    // happy-dom provides the DOM; this file is type-checked without the DOM lib.
    type Node = { append(node: Node): void; dispatchEvent(event: unknown): boolean; href?: string };
    const { document, MouseEvent } = globalThis as unknown as {
      document: { body: Node; createElement(tag: 'a'): Node };
      MouseEvent: new (type: string, init: object) => { defaultPrevented: boolean };
    };
    const link = document.createElement('a');
    link.href = 'https://example.com/';
    document.body.append(link);
    const middle = new MouseEvent('auxclick', { button: 1, bubbles: true, cancelable: true });
    link.dispatchEvent(middle);
    expect(middle.defaultPrevented).toBe(true);
  });
});
