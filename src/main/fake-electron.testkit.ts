/**
 * A stand-in for the `electron` module, enough for the shell's wiring: it records what the
 * main process configures (window options, handlers, menus) so tests can check and drive it.
 */
import { vi } from 'vitest';

type Listener = (...args: any[]) => unknown;

export interface FakeFrame {
  url: string;
  parent: FakeFrame | null;
  processId: number;
  routingId: number;
}

let nextId = 1;

/** A fake webContents: records listeners, handlers and sent messages. */
export class FakeWebContents {
  listeners = new Map<string, Listener[]>();
  windowOpenHandler: Listener | null = null;
  sent: Array<{ channel: string; payload: unknown }> = [];
  id = nextId++;
  mainFrame: FakeFrame = { url: '', parent: null, processId: 7, routingId: this.id };
  on(name: string, listener: Listener) {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
    return this;
  }
  setWindowOpenHandler(handler: Listener) {
    this.windowOpenHandler = handler;
  }
  send(channel: string, payload: unknown) {
    this.sent.push({ channel, payload });
  }
  /** Fire an event as Electron would; returns whether a listener prevented it. */
  fire(name: string, ...args: unknown[]): boolean {
    let prevented = false;
    const event = { preventDefault: () => (prevented = true) };
    for (const listener of this.listeners.get(name) ?? []) listener(event, ...args);
    return prevented;
  }
}

/** A fake BrowserWindow that remembers its options and what it loaded. */
export class FakeBrowserWindow {
  static created: FakeBrowserWindow[] = [];
  static getAllWindows = () => FakeBrowserWindow.created;
  webContents = new FakeWebContents();
  loaded: { file?: string; url?: string } = {};
  constructor(public options: any) {
    FakeBrowserWindow.created.push(this);
  }
  isDestroyed() {
    return false;
  }
  once() {}
  on() {}
  show() {}
  async loadFile(file: string) {
    this.loaded.file = file;
    this.webContents.mainFrame.url = new URL(`file://${file}`).toString();
  }
  async loadURL(url: string) {
    this.loaded.url = url;
    this.webContents.mainFrame.url = url;
  }
}

/** Everything the fake module exposes plus what it captured. */
export function createFakeElectron() {
  const handlers = new Map<string, Listener>();
  const exposed = new Map<string, unknown>();
  const rendererListeners = new Map<string, Listener[]>();
  const captured = {
    headersListener: null as Listener | null,
    permissionHandler: null as Listener | null,
    permissionCheck: null as Listener | null,
    menuTemplate: null as unknown,
    handlers,
    exposed,
    rendererListeners,
    invoked: [] as unknown[][],
  };
  const module = {
    app: {
      getPath: vi.fn(() => '/fake/userData'),
      getVersion: () => '9.9.9',
      getAppPath: () => '/fake/app',
      isPackaged: false,
    },
    BrowserWindow: FakeBrowserWindow,
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: (listener: Listener) => (captured.headersListener = listener) },
        setPermissionRequestHandler: (handler: Listener) => (captured.permissionHandler = handler),
        setPermissionCheckHandler: (handler: Listener) => (captured.permissionCheck = handler),
      },
    },
    ipcMain: {
      handle: (channel: string, handler: Listener) => handlers.set(channel, handler),
      removeHandler: (channel: string) => handlers.delete(channel),
    },
    dialog: { showOpenDialog: vi.fn(async () => ({ canceled: true, filePaths: [] })) },
    shell: { openPath: vi.fn(async () => ''), openExternal: vi.fn(async () => undefined), showItemInFolder: vi.fn() },
    safeStorage: {
      isEncryptionAvailable: () => true,
      getSelectedStorageBackend: () => 'gnome_libsecret',
      encryptString: (text: string) => Buffer.from(`enc:${[...text].reverse().join('')}`),
      decryptString: (buffer: Buffer) => [...buffer.toString().slice(4)].reverse().join(''),
    },
    Menu: {
      buildFromTemplate: (template: unknown) => (captured.menuTemplate = template),
      setApplicationMenu: () => undefined,
    },
    contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value) },
    ipcRenderer: {
      invoke: async (...args: unknown[]) => {
        captured.invoked.push(args);
        return { ok: true, value: 'sent' };
      },
      on: (channel: string, listener: Listener) => rendererListeners.set(channel, [...(rendererListeners.get(channel) ?? []), listener]),
      removeListener: (channel: string, listener: Listener) => rendererListeners.set(channel, (rendererListeners.get(channel) ?? []).filter((l) => l !== listener)),
    },
  };
  return { module, captured };
}
