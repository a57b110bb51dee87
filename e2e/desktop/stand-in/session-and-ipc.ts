/**
 * The stand-in's `session.defaultSession` (the response-header hook and permission handlers are
 * recorded, then consulted by the host for every response and permission it applies to the page)
 * and `ipcMain` (handlers reached by the page's `ipcRenderer.invoke`, with the browser's sender frame).
 */
import { EventEmitter } from 'node:events';
import { StandInBrowserWindow, StandInFrame, type StandInWebContents } from './browser-window';
import type { FrameInfo, HeadersDetails } from './protocol';
import type { MainState } from './main-state';

type HeadersListener = (details: HeadersDetails & { webContents?: unknown }, callback: (response: { cancel?: boolean; responseHeaders?: Record<string, string | string[]> }) => void) => void;
type PermissionRequestHandler = (contents: unknown, permission: string, callback: (granted: boolean) => void, details: unknown) => void;
type PermissionCheckHandler = (contents: unknown, permission: string, origin: string, details: unknown) => boolean;

function contentsById(id: number): StandInWebContents | undefined {
  return StandInBrowserWindow.all.find((w) => w.webContents.id === id)?.webContents;
}

/** Does `url` match one of webRequest's URL patterns ("file://*", "*://*\/*")? */
function matchesFilter(url: string, filter: { urls?: string[] } | undefined): boolean {
  if (!filter?.urls || filter.urls.length === 0) return true;
  return filter.urls.some((pattern) => new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(url));
}

export function createSession(state: MainState) {
  let headers: { filter?: { urls?: string[] }; listener: HeadersListener } | null = null;
  let requestHandler: PermissionRequestHandler | null = null;
  let checkHandler: PermissionCheckHandler | null = null;

  const webRequest = new Proxy(
    {
      onHeadersReceived(filterOrListener: { urls?: string[] } | HeadersListener | null, maybeListener?: HeadersListener | null) {
        const listener = typeof filterOrListener === 'function' || filterOrListener === null ? filterOrListener : (maybeListener ?? null);
        const filter = typeof filterOrListener === 'object' && filterOrListener !== null ? filterOrListener : undefined;
        headers = listener ? { filter, listener } : null;
        state.records.session.headersHooks = headers ? 1 : 0;
      },
    } as Record<string, unknown>,
    {
      get(target, name) {
        if (typeof name === 'string' && !(name in target)) return () => state.notModelled(`session.webRequest.${name}`);
        return target[name as string];
      },
    },
  );

  const defaultSession = {
    webRequest,
    setPermissionRequestHandler(handler: PermissionRequestHandler | null) {
      requestHandler = handler;
      state.records.session.permissionRequestHandler = handler !== null;
    },
    setPermissionCheckHandler(handler: PermissionCheckHandler | null) {
      checkHandler = handler;
      state.records.session.permissionCheckHandler = handler !== null;
    },
    setDevicePermissionHandler() {
      state.notModelled('session.setDevicePermissionHandler');
    },
    setSpellCheckerEnabled() {},
    on() {
      return defaultSession;
    },
  };

  return {
    session: {
      defaultSession,
      fromPartition() {
        throw new Error('The Electron stand-in models only session.defaultSession.');
      },
    },
    /** The response as the app's hook leaves it (Electron passes it through when there is no hook). */
    headersReceived(details: HeadersDetails): Promise<{ cancel: boolean; responseHeaders: Record<string, string[]> }> {
      const hook = headers;
      if (!hook || !matchesFilter(details.url, hook.filter)) return Promise.resolve({ cancel: false, responseHeaders: details.responseHeaders });
      return new Promise((resolve) => {
        hook.listener({ ...details, webContents: contentsById(details.webContentsId) }, (response) => {
          const responseHeaders: Record<string, string[]> = {};
          for (const [name, value] of Object.entries(response.responseHeaders ?? details.responseHeaders)) responseHeaders[name] = Array.isArray(value) ? value : [value];
          resolve({ cancel: response.cancel === true, responseHeaders });
        });
      });
    },
    /** Ask the app's handlers about a permission; null where no handler is set (Electron then grants). */
    async permission(webContentsId: number, permission: string, origin: string) {
      const contents = contentsById(webContentsId);
      const details = { requestingUrl: origin, isMainFrame: true, embeddingOrigin: origin };
      const requested = requestHandler ? await new Promise<boolean>((resolve) => requestHandler!(contents, permission, (granted) => resolve(granted === true), details)) : null;
      const checked = checkHandler ? checkHandler(contents, permission, origin, details) === true : null;
      state.records.session.applied.push({ permission, requested, checked });
      return { requested, checked };
    },
  };
}

type InvokeHandler = (event: unknown, ...args: unknown[]) => unknown;

export function createIpcMain(state: MainState) {
  const handlers = new Map<string, InvokeHandler>();
  const emitter = new EventEmitter();
  const sync = () => (state.records.ipcHandlers = [...handlers.keys()]);

  function eventFor(webContentsId: number, frame: FrameInfo) {
    const sender = contentsById(webContentsId);
    if (!sender) throw new Error(`No webContents ${webContentsId}`);
    return { sender, senderFrame: new StandInFrame(frame), processId: frame.processId, frameId: frame.routingId, type: 'frame' as const };
  }

  const ipcMain = Object.assign(emitter, {
    handle(channel: string, handler: InvokeHandler) {
      if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      handlers.set(channel, handler);
      sync();
    },
    handleOnce(channel: string, handler: InvokeHandler) {
      ipcMain.handle(channel, (...args) => {
        handlers.delete(channel);
        sync();
        return handler(...args);
      });
    },
    removeHandler(channel: string) {
      handlers.delete(channel);
      sync();
    },
  });

  return {
    ipcMain,
    /** `ipcRenderer.invoke` arriving from a page: as Electron, an error names the remote method. */
    async invoke(webContentsId: number, frame: FrameInfo, channel: string, args: unknown[]): Promise<unknown> {
      const handler = handlers.get(channel);
      if (!handler) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
      let result: unknown;
      try {
        result = await handler(eventFor(webContentsId, frame), ...args);
      } catch (error) {
        throw new Error(`Error invoking remote method '${channel}': ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
      }
      // Electron copies results with the structured clone algorithm.
      return structuredClone(result);
    },
    send(webContentsId: number, frame: FrameInfo, channel: string, args: unknown[]): void {
      emitter.emit(channel, eventFor(webContentsId, frame), ...args);
    },
  };
}
