// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { act } from 'react';
import { createAppStore } from '../../store/app-store';
import { createFakeClient } from '../../test/fake-client';
import { render } from '../../test/render';
import { useRereadOnFocus } from './useRereadOnFocus';

function Reread({ store }: { store: Parameters<typeof useRereadOnFocus>[0] }) {
  useRereadOnFocus(store);
  return null;
}

describe('useRereadOnFocus', () => {
  it('a focus while a status read is under way reads again once it ends (the change it comes back for may be newer than that read)', async () => {
    const fake = createFakeClient({ appliedCount: 1 });
    let release: (() => void) | null = null;
    let statusCalls = 0;
    const client = {
      ...fake.client,
      invoke: (async (channel: string, request: unknown) => {
        if (channel === 'migrations:status') {
          statusCalls++;
          if (release === null && statusCalls === 2) await new Promise<void>((resolve) => (release = resolve));
        }
        return (fake.client.invoke as (c: string, r: unknown) => Promise<unknown>)(channel, request);
      }) as typeof fake.client.invoke,
    };
    const store = createAppStore(client);
    await store.getState().init();
    const view = await render(store, <Reread store={store} />);
    try {
      const slow = store.getState().refreshStatus(); // under way, held by the server
      expect(store.getState().statusLoading).toBe(true);
      await act(async () => void window.dispatchEvent(new Event('focus')));
      expect(statusCalls).toBe(2); // not read twice at once
      await act(async () => {
        release!();
        await slow;
      });
      await vi.waitFor(() => expect(statusCalls).toBe(3));
      await vi.waitFor(() => expect(store.getState().statusLoading).toBe(false));
    } finally {
      view.unmount();
    }
  });
});
