/**
 * Exposes exactly the contract to the page as `window.stepstone`: `invoke(channel, request)` for
 * the contract's channels only, and `subscribe(listener)` for its events. Nothing else crosses.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import { isChannel } from '../shared/contract';
import type { AppEvent, Result } from '../shared/contract';

// Literal copies of src/main/ipc.ts's names: a sandboxed preload should stay a tiny bundle.
const INVOKE_CHANNEL = 'stepstone:invoke';
const EVENT_CHANNEL = 'stepstone:event';

/** The bridge object; exported for the test. */
export const bridge = {
  invoke(channel: string, request: unknown): Promise<Result<unknown>> {
    if (!isChannel(channel)) {
      return Promise.resolve({ ok: false, error: { code: 'INVALID_INPUT', message: `Unknown channel "${String(channel)}".` } });
    }
    return ipcRenderer.invoke(INVOKE_CHANNEL, channel, request) as Promise<Result<unknown>>;
  },
  subscribe(listener: (event: AppEvent) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError('subscribe needs a function');
    // Pass only the event, never Electron's IpcRendererEvent (it would leak `sender`).
    const wrapped = (_event: IpcRendererEvent, payload: AppEvent) => listener(payload);
    ipcRenderer.on(EVENT_CHANNEL, wrapped);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('stepstone', bridge);
