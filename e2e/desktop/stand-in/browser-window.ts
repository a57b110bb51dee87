/**
 * `BrowserWindow` and its `webContents` for the stand-in: each window is a Chromium page in the
 * renderer host. Loads, `send` and closing go to the host; navigation, new-window and IPC requests
 * come back from it and reach the listeners and handlers the app registered, as in Electron.
 */
import { EventEmitter } from 'node:events';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FrameInfo, WindowOptions } from './protocol';
import type { MainState } from './main-state';

type WindowOpenHandler = (details: { url: string; frameName: string; features: string; disposition: string; referrer: { url: string; policy: string } }) => { action: 'allow' | 'deny' };

/** The parts of the app object a window needs (to emit app-level events). */
export interface AppEvents {
  emit(event: string, ...args: unknown[]): boolean;
  emitWindowAllClosed(): void;
}

let nextId = 1;

/** A frame as `WebFrameMain`: the URL is what the browser reports for it. */
export class StandInFrame {
  constructor(private info: FrameInfo) {}
  get url(): string {
    return this.info.url;
  }
  get processId(): number {
    return this.info.processId;
  }
  get routingId(): number {
    return this.info.routingId;
  }
  get parent(): StandInFrame | null {
    return this.info.parent ? new StandInFrame(this.info.parent) : null;
  }
  get top(): StandInFrame {
    return this.parent?.top ?? this;
  }
  get frames(): StandInFrame[] {
    return [];
  }
}

export class StandInWebContents extends EventEmitter {
  readonly id = nextId++;
  windowOpenHandler: WindowOpenHandler | null = null;
  mainFrameInfo: FrameInfo = { url: '', processId: 0, routingId: 0, parent: null };
  destroyed = false;

  constructor(
    private state: MainState,
    readonly windowId: number,
    readonly session: unknown,
  ) {
    super();
  }

  get mainFrame(): StandInFrame {
    return new StandInFrame(this.mainFrameInfo);
  }

  getURL(): string {
    return this.mainFrameInfo.url;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  setWindowOpenHandler(handler: WindowOpenHandler): void {
    this.windowOpenHandler = handler;
  }

  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    this.state.link.notify('window.send', { windowId: this.windowId, channel, args: structuredClone(args) });
  }

  reload(): void {
    void this.state.link.call('window.reload', { windowId: this.windowId });
  }

  openDevTools(): void {
    this.state.notModelled('webContents.openDevTools');
  }

  toggleDevTools(): void {
    this.state.notModelled('webContents.toggleDevTools');
  }

  /** Emit an event whose first argument is a cancellable Electron event; true when prevented. */
  emitCancellable(name: string, details: Record<string, unknown>, ...rest: unknown[]): boolean {
    let prevented = false;
    const event = {
      ...details,
      preventDefault: () => {
        prevented = true;
      },
      get defaultPrevented() {
        return prevented;
      },
    };
    this.emit(name, event, ...rest);
    return prevented;
  }
}

export class StandInBrowserWindow extends EventEmitter {
  static readonly all: StandInBrowserWindow[] = [];
  static app: AppEvents;
  static state: MainState;

  static getAllWindows(): StandInBrowserWindow[] {
    return StandInBrowserWindow.all.filter((w) => !w.destroyed);
  }

  static getFocusedWindow(): StandInBrowserWindow | null {
    return StandInBrowserWindow.getAllWindows()[0] ?? null;
  }

  static fromWebContents(contents: StandInWebContents): StandInBrowserWindow | null {
    return StandInBrowserWindow.all.find((w) => w.webContents === contents) ?? null;
  }

  readonly id: number;
  readonly webContents: StandInWebContents;
  private destroyed = false;
  private visible: boolean;
  private minimized = false;
  private title: string;
  /** Resolves once the host has made the page (loads wait for it). */
  private created: Promise<void>;
  private record: MainState['records']['windows'][number];

  constructor(options: WindowOptions = {}, session: unknown = null) {
    super();
    const state = StandInBrowserWindow.state;
    refuseInsecurePreferences(options);
    this.id = nextId++;
    this.webContents = new StandInWebContents(state, this.id, session);
    this.visible = options.show !== false;
    this.title = typeof options.title === 'string' ? options.title : '';
    this.record = { id: this.id, options: structuredClone(stripFunctions(options)), loaded: [], shown: this.visible, destroyed: false };
    state.records.windows.push(this.record);
    StandInBrowserWindow.all.push(this);
    this.created = state.link
      .call('window.create', { windowId: this.id, webContentsId: this.webContents.id, options: this.record.options })
      .then(({ mainFrame }) => {
        this.webContents.mainFrameInfo = mainFrame;
      });
    // Electron announces the new contents while the window is being built.
    StandInBrowserWindow.app.emit('web-contents-created', {}, this.webContents);
    StandInBrowserWindow.app.emit('browser-window-created', {}, this);
  }

  async loadURL(url: string): Promise<void> {
    await this.created;
    this.record.loaded.push(url);
    const { url: committed } = await StandInBrowserWindow.state.link.call('window.load', { windowId: this.id, url });
    this.webContents.mainFrameInfo = { ...this.webContents.mainFrameInfo, url: committed };
    this.webContents.emit('did-finish-load');
  }

  loadFile(filePath: string, options: { query?: Record<string, string>; hash?: string } = {}): Promise<void> {
    const url = pathToFileURL(resolve(filePath));
    for (const [key, value] of Object.entries(options.query ?? {})) url.searchParams.set(key, value);
    if (options.hash) url.hash = options.hash;
    return this.loadURL(url.toString());
  }

  /** The host reports the top frame's committed URL. */
  navigated(url: string): void {
    this.webContents.mainFrameInfo = { ...this.webContents.mainFrameInfo, url };
  }

  show(): void {
    this.visible = true;
    this.record.shown = true;
    StandInBrowserWindow.state.link.notify('window.show', { windowId: this.id });
  }
  hide(): void {
    this.visible = false;
  }
  isVisible(): boolean {
    return this.visible;
  }
  focus(): void {}
  isFocused(): boolean {
    return this.visible;
  }
  minimize(): void {
    this.minimized = true;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
  }
  setTitle(title: string): void {
    this.title = title;
  }
  getTitle(): string {
    return this.title;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }

  close(): void {
    if (this.destroyed) return;
    void StandInBrowserWindow.state.link.call('window.close', { windowId: this.id }).catch(() => {});
    this.closed();
  }

  destroy(): void {
    this.close();
  }

  /** The page went away (closed by the app, the test or the user). */
  closed(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.record.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
    this.webContents.emit('destroyed');
    if (StandInBrowserWindow.getAllWindows().length === 0) StandInBrowserWindow.app.emitWindowAllClosed();
  }
}

/**
 * The harness models the secure window only: a preload in an isolated world of a sandboxed page
 * without Node. A weakened window is refused loudly rather than emulated.
 */
function refuseInsecurePreferences(options: WindowOptions): void {
  const prefs = options.webPreferences ?? {};
  const weakened = [
    prefs.contextIsolation === false && 'contextIsolation: false',
    prefs.sandbox === false && 'sandbox: false',
    prefs.nodeIntegration === true && 'nodeIntegration: true',
    prefs.nodeIntegrationInSubFrames === true && 'nodeIntegrationInSubFrames: true',
    prefs.webSecurity === false && 'webSecurity: false',
    prefs.webviewTag === true && 'webviewTag: true',
  ].filter(Boolean);
  if (weakened.length > 0) {
    throw new Error(`The Electron stand-in only models secure windows; this one asks for ${weakened.join(', ')}.`);
  }
}

function stripFunctions(value: WindowOptions): WindowOptions {
  return JSON.parse(JSON.stringify(value)) as WindowOptions;
}
