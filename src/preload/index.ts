/**
 * The preload: exposes `window.stepstone = { invoke, subscribe }` to the page and nothing else.
 * It only forwards: the main process checks the sender and validates every channel and request
 * (src/main/ipc.ts, the service's dispatch), so nothing here imports the contract or zod and the
 * sandboxed preload stays a few hundred bytes.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';

// The preload runs in the page's renderer, but it is type-checked with the main process (no DOM lib).
declare const window: { addEventListener(type: 'auxclick', listener: (event: { preventDefault(): void }) => void, capture: boolean): void };

// Literal copies of src/main/ipc.ts's names (importing them would bundle main-process code).
const INVOKE_CHANNEL = 'stepstone:invoke';
const EVENT_CHANNEL = 'stepstone:event';

/** The bridge object; exported for the test. */
export const bridge = {
  invoke(channel: string, request: unknown): Promise<unknown> {
    return ipcRenderer.invoke(INVOKE_CHANNEL, channel, request);
  },
  subscribe(listener: (event: unknown) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError('subscribe needs a function');
    // Pass only the event, never Electron's IpcRendererEvent (it would leak `sender`).
    const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(EVENT_CHANNEL, wrapped);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('stepstone', bridge);

// Middle-click (and other non-primary buttons) must not open links in new windows or navigate:
// cancel the auxclick default action. `disableBlinkFeatures: 'Auxclick'` no longer does this in
// current Chromium (the flag is gone), and the window-open handler is the second line.
window.addEventListener('auxclick', (event) => event.preventDefault(), true);
