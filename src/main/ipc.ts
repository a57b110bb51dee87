/**
 * The one IPC entry point: `stepstone:invoke` with a channel and a request. The sender must be
 * the main window's top frame showing the app's own page; the service validates the payload.
 * Events go to the window as `stepstone:event`.
 */
import { ipcMain } from 'electron';
import type { BrowserWindow, IpcMainInvokeEvent } from 'electron';
import type { AppEvent, Result } from '../shared/contract';
import type { Service } from '../service/create-service';
import { isAppUrl, type RendererEntry } from './renderer-entry';
import { errorInfo } from '../shared/errors';

export const INVOKE_CHANNEL = 'stepstone:invoke';
export const EVENT_CHANNEL = 'stepstone:event';

/** Is the call from our window's top frame, on our own page? */
export function isTrustedSender(event: IpcMainInvokeEvent, window: BrowserWindow | null, entry: RendererEntry): boolean {
  if (!window || window.isDestroyed()) return false;
  const frame = event.senderFrame;
  const contents = window.webContents;
  if (!frame || event.sender?.id !== contents.id) return false;
  // Compare by ids rather than object identity: Electron may hand out different wrappers for one frame.
  const top = contents.mainFrame;
  if (frame.parent !== null || frame.processId !== top.processId || frame.routingId !== top.routingId) return false;
  return isAppUrl(frame.url, entry);
}

/** Register the invoke handler; returns the function that removes it. */
export function registerIpc(service: Service, getWindow: () => BrowserWindow | null, entry: RendererEntry): () => void {
  ipcMain.handle(INVOKE_CHANNEL, async (event, channel: unknown, request: unknown): Promise<Result<unknown>> => {
    if (!isTrustedSender(event, getWindow(), entry)) {
      return { ok: false, error: errorInfo('FORBIDDEN', 'This frame may not call Stepstone.') };
    }
    if (typeof channel !== 'string') {
      return { ok: false, error: errorInfo('INVALID_INPUT', 'The channel must be a string naming one of the contract channels.') };
    }
    return service.dispatch(channel, request, { transport: 'ipc' });
  });
  return () => ipcMain.removeHandler(INVOKE_CHANNEL);
}

/** Send an event to the window, if it is still there. */
export function forwardEvent(getWindow: () => BrowserWindow | null, event: AppEvent): void {
  const window = getWindow();
  if (window && !window.isDestroyed()) window.webContents.send(EVENT_CHANNEL, event);
}
