/**
 * The renderer half of the Electron stand-in, in the Playwright worker: every BrowserWindow the
 * main process creates becomes a Chromium page. Loads go to the page; the page's navigations,
 * new windows, responses and permissions are put to the main process's listeners and hooks first;
 * `ipcRenderer` calls arrive through a binding of the preload's isolated world and go to `ipcMain`
 * with the frame the browser says sent them.
 */
import { randomBytes } from 'node:crypto';
import type { BrowserContext, CDPSession, Page, Route } from '@playwright/test';
import type { FrameInfo, HostCalls, HostNotices, KeyPress, Link, MainCalls, MainNotices, RecordedMenuItem } from '../stand-in/protocol';
import { makeCodec, type PageScriptConfig } from './page-scripts';
import { HostWindow } from './host-window';
import { serveFile } from './serve-file';

export type MainLink = Link<MainCalls, MainNotices, HostCalls, HostNotices>;

/** One `ipcRenderer.invoke` as it crossed: who sent it, what it asked, what came back. */
export interface IpcRecord {
  channel: string;
  args: unknown[];
  senderUrl: string;
  /** Order of events in the harness (RendererHost.sequence): when the page asked, when its answer went back (null while pending). */
  at: number;
  settledAt: number | null;
  ok: boolean;
  value?: unknown;
  error?: string;
}

/** What the harness saw of the page and the main process, for assertions. */
export interface HostRecords {
  ipc: IpcRecord[];
  /** `webContents.send` messages delivered to a page (dropped ones are marked). */
  sent: Array<{ channel: string; args: unknown[]; delivered: boolean; at: number | null }>;
  /** Responses served to windows, with the headers the app's hook left on them. */
  responses: Array<{ url: string; resourceType: string; headers: Record<string, string[]> }>;
  /** What the preload exposed through contextBridge, by key, with its shape. */
  exposed: Array<{ key: string; shape: unknown }>;
  /** Navigations the page started, and whether the main process prevented them. */
  navigations: Array<{ url: string; prevented: boolean }>;
  /** New windows the page asked for, and the main process's answer. */
  popups: Array<{ url: string; action: 'allow' | 'deny' }>;
  /** Permissions as applied to the browser context from the session's handlers. */
  permissions: Array<{ permission: string; setting: 'granted' | 'denied' }>;
  /** Requests the harness refused because they would have left the machine. */
  offline: string[];
  preloadErrors: string[];
  pageErrors: string[];
}

/** Electron's permission names, and the browser permissions each stands for. */
const PERMISSIONS: Record<string, string[]> = {
  media: ['camera', 'microphone'],
  geolocation: ['geolocation'],
  notifications: ['notifications'],
  midi: ['midi'],
  'clipboard-read': ['clipboard-read'],
};

export class RendererHost {
  readonly records: HostRecords = { ipc: [], sent: [], responses: [], exposed: [], navigations: [], popups: [], permissions: [], offline: [], preloadErrors: [], pageErrors: [] };
  readonly windows = new Map<number, HostWindow>();
  menuTemplate: RecordedMenuItem[] | null = null;
  readonly config: PageScriptConfig;
  private firstPage: Page | undefined;
  private firstWindowLoaded: Promise<HostWindow>;
  private resolveFirstWindow!: (window: HostWindow) => void;
  private creatingPages = 0;
  private browserSession: CDPSession | undefined;
  private popupDecisions = new Map<Page, Promise<'allow' | 'deny'>>();
  /** Decisions on new windows whose first request came before their page existed, oldest first. */
  private framelessDecisions: Array<Promise<'allow' | 'deny'>> = [];
  private keyWaiters: Array<(clicked: string | null) => void> = [];
  /** Pages for foreign origins a test serves (nothing ever goes to the network). */
  readonly sites = new Map<string, string>();
  readonly ipcCodec = makeCodec(null, null);
  private counter = 0;

  /** A number that orders what the harness saw (IPC asked and answered, events delivered), without a clock. */
  sequence(): number {
    return ++this.counter;
  }

  constructor(
    readonly context: BrowserContext,
    readonly link: MainLink,
    firstPage?: Page,
  ) {
    this.firstPage = firstPage;
    const token = randomBytes(6).toString('hex');
    this.config = { binding: `__electronIpc_${token}`, harness: `__electronHarness_${token}`, events: `electron-bridge-${token}`, preloadPath: null };
    this.firstWindowLoaded = new Promise((resolve) => (this.resolveFirstWindow = resolve));
    link.answer('window.create', (params) => this.createWindow(params));
    link.answer('window.load', async ({ windowId, url }) => ({ url: await this.window(windowId).load(url) }));
    link.answer('window.close', async ({ windowId }) => {
      await this.windows.get(windowId)?.page.close();
      return null;
    });
    link.answer('window.reload', async ({ windowId }) => {
      await this.window(windowId).page.reload();
      return null;
    });
    link.onNotice('window.send', ({ windowId, channel, args }) => this.windows.get(windowId)?.deliver(channel, args));
    link.onNotice('window.show', () => {});
    link.onNotice('menu.set', ({ template }) => (this.menuTemplate = template));
    context.on('page', (page) => void this.pageOpened(page));
  }

  /** The first window, once its first load finished. */
  firstWindow(): Promise<HostWindow> {
    return this.firstWindowLoaded;
  }

  window(id: number): HostWindow {
    const window = this.windows.get(id);
    if (!window) throw new Error(`No window ${id}`);
    return window;
  }

  /** Route every request of the context: windows' pages, and pages the app never asked for. */
  async install(): Promise<void> {
    await this.context.route('**/*', (route) => this.route(route));
  }

  private async createWindow({ windowId, webContentsId, options }: HostCalls['window.create']['params']): Promise<{ mainFrame: FrameInfo }> {
    let page = this.firstPage;
    this.firstPage = undefined;
    if (!page) {
      this.creatingPages++;
      page = await this.context.newPage().finally(() => this.creatingPages--);
    }
    const window = await HostWindow.open(this, { windowId, webContentsId, options, page });
    this.windows.set(windowId, window);
    await this.applyPermissions(window);
    window.loaded.then(() => this.resolveFirstWindow(window));
    page.on('close', () => {
      this.windows.delete(windowId);
      this.link.notify('window.closed', { windowId });
    });
    page.on('pageerror', (error) => this.records.pageErrors.push(String(error)));
    return { mainFrame: window.mainFrameInfo() };
  }

  /** Apply the session's permission handlers to the browser: Electron grants where no handler answers. */
  private async applyPermissions(window: HostWindow): Promise<void> {
    // Chromium drops permission overrides when the session that set them detaches: keep it for the app's life.
    this.browserSession ??= await this.context.browser()!.newBrowserCDPSession();
    const { targetInfo } = await window.cdp.send('Target.getTargetInfo');
    for (const [permission, names] of Object.entries(PERMISSIONS)) {
      const { requested, checked } = await this.link.call('session.permission', { webContentsId: window.webContentsId, permission, origin: 'file://' });
      const setting = requested !== false && checked !== false ? 'granted' : 'denied';
      for (const name of names) {
        await this.browserSession.send('Browser.setPermission', { permission: { name }, setting, browserContextId: targetInfo.browserContextId });
      }
      this.records.permissions.push({ permission, setting });
    }
  }

  /** Let go of the browser-level session (the app has quit). */
  async dispose(): Promise<void> {
    await this.browserSession?.detach().catch(() => {});
    this.browserSession = undefined;
  }

  /** Is this page one of the app's windows? */
  windowOfPage(page: Page): HostWindow | undefined {
    return [...this.windows.values()].find((w) => w.page === page);
  }

  private async route(route: Route): Promise<void> {
    const request = route.request();
    let page: Page | undefined;
    try {
      page = request.frame().page();
    } catch {
      // No frame yet: a new window's first navigation (window.open, a middle-click), or a worker's request.
      if (!request.isNavigationRequest()) return route.abort('blockedbyclient');
      const decision = this.decideNewWindow(request.url());
      this.framelessDecisions.push(decision);
      return (await decision) === 'allow' ? this.respond(route, undefined) : route.abort('blockedbyclient');
    }
    const window = this.windowOfPage(page);
    if (!window) {
      // A page the app did not create. The main process decides, once per page.
      if (request.isNavigationRequest() && (await this.decidePopup(page, request.url())) === 'allow') return this.respond(route, undefined);
      return route.abort('blockedbyclient');
    }
    if (request.isNavigationRequest() && request.frame() === window.page.mainFrame() && !window.consumeExpectedLoad(request.url())) {
      const { prevented } = await this.link.call('navigation.will-navigate', { webContentsId: window.webContentsId, url: request.url(), frame: window.mainFrameInfo() });
      this.records.navigations.push({ url: request.url(), prevented });
      if (prevented) return route.abort('aborted');
    }
    return this.respond(route, window);
  }

  /** Serve a request (a file, or a test's foreign site), after the app's response-header hook. */
  private async respond(route: Route, window: HostWindow | undefined): Promise<void> {
    const request = route.request();
    const url = new URL(request.url());
    const served = url.protocol === 'file:' ? await serveFile(url) : this.sites.has(url.origin) ? { status: 200, contentType: 'text/html', body: Buffer.from(this.sites.get(url.origin)!) } : null;
    if (!served) {
      this.records.offline.push(request.url());
      return route.abort('internetdisconnected');
    }
    if (served.status === 404) return route.abort('filenotfound' as 'failed');
    let headers: Record<string, string[]> = { 'Content-Type': [served.contentType] };
    if (window) {
      const type = resourceType(request.resourceType(), request.frame() === window.page.mainFrame());
      const hook = await this.link.call('session.headers-received', {
        url: request.url(),
        method: request.method(),
        resourceType: type,
        webContentsId: window.webContentsId,
        statusCode: served.status,
        responseHeaders: headers,
      });
      if (hook.cancel) return route.abort('blockedbyclient');
      headers = hook.responseHeaders;
      this.records.responses.push({ url: request.url(), resourceType: type, headers });
    }
    await route.fulfill({ status: served.status, body: served.body, headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.join(', ')])) });
  }

  private pageOpened(page: Page): void {
    if (page === this.firstPage || this.creatingPages > 0 || this.windowOfPage(page)) return;
    void (async () => {
      // By the time the new page has a document, its first navigation went through the route.
      await page.waitForLoadState('domcontentloaded').catch(() => {});
      const decided = this.framelessDecisions.shift();
      if (decided) {
        this.popupDecisions.set(page, decided);
        if ((await decided) === 'deny') await page.close().catch(() => {});
      } else {
        // window.open() with no URL: nothing was routed; decide on the page itself.
        await this.decidePopup(page, page.url());
      }
    })();
  }

  /** Ask the window-open handler of the window that opened `url` (the only window, when the opener is unknown). */
  private async decideNewWindow(url: string, opener?: HostWindow): Promise<'allow' | 'deny'> {
    const windows = [...this.windows.values()];
    const window = opener ?? (windows.length === 1 ? windows[0] : undefined);
    if (!window) return 'deny';
    const { action } = await this.link.call('window.open-requested', { webContentsId: window.webContentsId, url, frame: window.mainFrameInfo(), disposition: 'new-window' });
    this.records.popups.push({ url, action });
    return action;
  }

  /** Ask the window-open handler about a page that appeared, once; a denied page is closed. */
  decidePopup(page: Page, url: string): Promise<'allow' | 'deny'> {
    const known = this.popupDecisions.get(page);
    if (known) return known;
    const decision = (async () => {
      const opener = await page.opener().catch(() => null);
      const action = await this.decideNewWindow(url, opener ? this.windowOfPage(opener) : undefined);
      if (action === 'deny') await page.close().catch(() => {});
      return action;
    })();
    this.popupDecisions.set(page, decision);
    return decision;
  }

  /** A key press with a modifier: the application menu gets it when the page left it unhandled. */
  async keyReported(key: KeyPress, handledByPage: boolean): Promise<void> {
    const clicked = handledByPage ? null : (await this.link.call('menu.key', key)).clicked;
    this.keyWaiters.shift()?.(clicked);
  }

  /** Resolve with the menu item the next reported key clicked (null: none). */
  nextKey(): Promise<string | null> {
    return new Promise((resolve) => this.keyWaiters.push(resolve));
  }

  /** For the windows: a CDP session on a page. */
  cdpFor(page: Page): Promise<CDPSession> {
    return this.context.newCDPSession(page);
  }
}

/** Electron's resourceType names for Playwright's. */
function resourceType(type: string, mainFrame: boolean): string {
  if (type === 'document') return mainFrame ? 'mainFrame' : 'subFrame';
  if (type === 'fetch' || type === 'xhr') return 'xhr';
  return ['stylesheet', 'script', 'image', 'font', 'media', 'websocket'].includes(type) ? (type === 'websocket' ? 'webSocket' : type) : 'other';
}
