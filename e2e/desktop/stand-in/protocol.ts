/**
 * The messages between the two halves of the Electron stand-in: the main process (a Node child
 * running the built `out/main` with `require('electron')` answered by electron-main.ts) and the
 * renderer host (the Playwright test worker, which turns each BrowserWindow into a Chromium page).
 * Both directions carry calls (answered by a reply with the same id) and notices (no answer).
 */

/** A frame as Electron's `WebFrameMain` describes it; the URL is the browser's, never the page's word. */
export interface FrameInfo {
  url: string;
  processId: number;
  routingId: number;
  /** The parent frame, or null for a window's top frame. */
  parent: FrameInfo | null;
}

/** What the main process may ask of the renderer host. */
export type HostCalls = {
  'window.create': { params: { windowId: number; webContentsId: number; options: WindowOptions }; result: { mainFrame: FrameInfo } };
  'window.load': { params: { windowId: number; url: string }; result: { url: string } };
  'window.close': { params: { windowId: number }; result: null };
  'window.reload': { params: { windowId: number }; result: null };
};

/** Fire-and-forget notices from the main process to the host (kept in order with the calls). */
export type HostNotices = {
  'window.send': { windowId: number; channel: string; args: unknown[] };
  'window.show': { windowId: number };
  'menu.set': { template: RecordedMenuItem[] | null };
  'main.log': { level: 'log' | 'warn' | 'error'; text: string };
};

/** What the renderer host (and the test through it) may ask of the main process. */
export type MainCalls = {
  'ipc.invoke': { params: { webContentsId: number; frame: FrameInfo; channel: string; args: unknown[] }; result: unknown };
  'ipc.send': { params: { webContentsId: number; frame: FrameInfo; channel: string; args: unknown[] }; result: null };
  'navigation.will-navigate': { params: { webContentsId: number; url: string; frame: FrameInfo }; result: { prevented: boolean } };
  'window.open-requested': { params: { webContentsId: number; url: string; frame: FrameInfo; disposition: string }; result: { action: 'allow' | 'deny' } };
  'session.headers-received': { params: HeadersDetails; result: { cancel: boolean; responseHeaders: Record<string, string[]> } };
  'session.permission': { params: { webContentsId: number; permission: string; origin: string }; result: { requested: boolean | null; checked: boolean | null } };
  'menu.click': { params: { path: string[] }; result: { clicked: string } };
  'menu.key': { params: KeyPress; result: { clicked: string | null } };
  'dialog.script': { params: { method: DialogMethod; answers: unknown[] }; result: null };
  'safeStorage.configure': { params: { available?: boolean; backend?: string }; result: null };
  'safeStorage.decrypt': { params: { base64: string }; result: string };
  'records.read': { params: Record<string, never>; result: MainRecords };
  'app.quit': { params: Record<string, never>; result: null };
};

/** Notices from the host to the main process. */
export type MainNotices = {
  'window.navigated': { windowId: number; url: string };
  'window.ready-to-show': { windowId: number };
  'window.closed': { windowId: number };
};

export type DialogMethod = 'showOpenDialog' | 'showSaveDialog' | 'showMessageBox';

/** BrowserWindow options as far as the harness reads them (the rest is recorded as is). */
export interface WindowOptions {
  width?: number;
  height?: number;
  show?: boolean;
  title?: string;
  webPreferences?: Record<string, unknown> & { preload?: string };
  [key: string]: unknown;
}

/** A menu item as recorded from `Menu.buildFromTemplate`, without its click function. */
export interface RecordedMenuItem {
  label?: string;
  role?: string;
  type?: string;
  accelerator?: string;
  enabled: boolean;
  visible: boolean;
  clickable: boolean;
  submenu?: RecordedMenuItem[];
}

/** A key as the page saw it, reported when the page left it unhandled (as Electron's menu gets it on Linux). */
export interface KeyPress {
  key: string;
  code: string;
  ctrlKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  metaKey: boolean;
}

/** `onHeadersReceived` details, as Electron passes them. */
export interface HeadersDetails {
  url: string;
  method: string;
  resourceType: string;
  webContentsId: number;
  statusCode: number;
  responseHeaders: Record<string, string[]>;
}

/** Everything the main process recorded of what the app did with Electron. */
export interface MainRecords {
  windows: Array<{ id: number; options: WindowOptions; loaded: string[]; shown: boolean; destroyed: boolean }>;
  dialogs: Array<{ method: DialogMethod; options: unknown; answer: unknown; scripted: boolean }>;
  shell: Array<{ method: string; arg: string }>;
  safeStorage: Array<{ method: 'encryptString' | 'decryptString'; bytes: number }>;
  session: {
    headersHooks: number;
    permissionRequestHandler: boolean;
    permissionCheckHandler: boolean;
    applied: Array<{ permission: string; requested: boolean | null; checked: boolean | null }>;
  };
  ipcHandlers: string[];
  menuClicks: string[];
  singleInstanceLock: boolean;
  notModelled: string[];
}

export type Message =
  | { kind: 'call'; id: number; method: string; params: unknown }
  | { kind: 'reply'; id: number; ok: true; value: unknown }
  | { kind: 'reply'; id: number; ok: false; error: { message: string; stack?: string } }
  | { kind: 'notice'; method: string; params: unknown };

/** One side of the link: call the other side, notify it, and answer its calls. */
export interface Link<Out extends Record<string, { params: unknown; result: unknown }>, OutNotices, In extends Record<string, { params: unknown; result: unknown }>, InNotices> {
  call<M extends keyof Out & string>(method: M, params: Out[M]['params']): Promise<Out[M]['result']>;
  notify<M extends keyof OutNotices & string>(method: M, params: OutNotices[M]): void;
  answer<M extends keyof In & string>(method: M, handler: (params: In[M]['params']) => Promise<In[M]['result']> | In[M]['result']): void;
  onNotice<M extends keyof InNotices & string>(method: M, handler: (params: InNotices[M]) => void): void;
  /** Reject every pending call (the other side is gone). */
  close(reason: string): void;
}

/** Build a link over a `send` function; feed incoming messages to `receive`. */
export function createLink<Out extends Record<string, { params: unknown; result: unknown }>, OutNotices, In extends Record<string, { params: unknown; result: unknown }>, InNotices>(
  send: (message: Message) => void,
): Link<Out, OutNotices, In, InNotices> & { receive(message: Message): void } {
  let nextId = 1;
  let closed: string | null = null;
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  const handlers = new Map<string, (params: never) => unknown>();
  const noticeHandlers = new Map<string, (params: never) => void>();

  return {
    call(method, params) {
      if (closed) return Promise.reject(new Error(`${method}: ${closed}`));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        send({ kind: 'call', id, method, params });
      });
    },
    notify(method, params) {
      if (!closed) send({ kind: 'notice', method, params });
    },
    answer(method, handler) {
      handlers.set(method, handler as (params: never) => unknown);
    },
    onNotice(method, handler) {
      noticeHandlers.set(method, handler as (params: never) => void);
    },
    close(reason) {
      closed = reason;
      for (const { reject } of pending.values()) reject(new Error(reason));
      pending.clear();
    },
    receive(message) {
      if (message.kind === 'reply') {
        const waiter = pending.get(message.id);
        pending.delete(message.id);
        if (!waiter) return;
        if (message.ok) waiter.resolve(message.value);
        else waiter.reject(Object.assign(new Error(message.error.message), { remoteStack: message.error.stack }));
        return;
      }
      if (message.kind === 'notice') {
        noticeHandlers.get(message.method)?.(message.params as never);
        return;
      }
      const handler = handlers.get(message.method);
      const reply = (result: Promise<unknown>) =>
        result.then(
          (value) => send({ kind: 'reply', id: message.id, ok: true, value: value ?? null }),
          (error: unknown) => {
            const e = error instanceof Error ? error : new Error(String(error));
            send({ kind: 'reply', id: message.id, ok: false, error: { message: e.message, stack: e.stack } });
          },
        );
      if (!handler) void reply(Promise.reject(new Error(`The stand-in has no answer for "${message.method}".`)));
      else void reply(Promise.resolve().then(() => handler(message.params as never)));
    },
  };
}
