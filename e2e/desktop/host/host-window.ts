/**
 * One BrowserWindow as a Chromium page: its frames as the browser reports them (for IPC sender
 * frames), the preload's isolated world and its binding, the main world's bridge, and the loads
 * the main process asked for (which, unlike the page's own navigations, skip `will-navigate`).
 */
import { readFile } from 'node:fs/promises';
import type { CDPSession, Page } from '@playwright/test';
import type { FrameInfo, KeyPress, WindowOptions } from '../stand-in/protocol';
import { mainWorldScript, preloadWorldScript } from './page-scripts';
import type { IpcRecord, RendererHost } from './renderer-host';

type BindingMessage =
  | { type: 'invoke'; id: number; channel: string; args: never[] }
  | { type: 'send'; channel: string; args: never[] }
  | ({ type: 'key'; handledByPage: boolean } & KeyPress)
  | { type: 'exposed'; key: string; shape: unknown }
  | { type: 'preload-error'; message: string };

export class HostWindow {
  private frames = new Map<string, { url: string; parentId: string | null }>();
  private routingIds = new Map<string, number>();
  private contexts = new Map<number, { frameId: string; world: string }>();
  private expectedLoads: string[] = [];
  private mainFrameId = '';
  private delivery: Promise<unknown> = Promise.resolve();
  private firstLoad!: () => void;
  /** Resolves once the main process's first load finished. */
  readonly loaded = new Promise<void>((resolve) => (this.firstLoad = resolve));
  readonly processId: number;

  private constructor(
    private host: RendererHost,
    readonly windowId: number,
    readonly webContentsId: number,
    readonly options: WindowOptions,
    readonly page: Page,
    readonly cdp: CDPSession,
    private world: string,
  ) {
    this.processId = 1000 + windowId;
  }

  static async open(host: RendererHost, params: { windowId: number; webContentsId: number; options: WindowOptions; page: Page }): Promise<HostWindow> {
    const cdp = await host.cdpFor(params.page);
    const world = `electron-preload-${host.config.events}`;
    const window = new HostWindow(host, params.windowId, params.webContentsId, params.options, params.page, cdp, world);
    await window.setUp();
    return window;
  }

  private async setUp(): Promise<void> {
    const { cdp, host } = this;
    cdp.on('Page.frameNavigated', ({ frame }) => this.frameNavigated(frame.id, frame.parentId ?? null, frame.url + (frame.urlFragment ?? '')));
    cdp.on('Page.navigatedWithinDocument', ({ frameId, url }) => this.frameNavigated(frameId, this.frames.get(frameId)?.parentId ?? null, url));
    cdp.on('Page.frameDetached', ({ frameId }) => this.frames.delete(frameId));
    cdp.on('Runtime.executionContextCreated', ({ context }) => {
      const frameId = (context.auxData as { frameId?: string } | undefined)?.frameId;
      if (frameId) this.contexts.set(context.id, { frameId, world: context.name });
    });
    cdp.on('Runtime.executionContextDestroyed', ({ executionContextId }) => this.contexts.delete(executionContextId));
    cdp.on('Runtime.executionContextsCleared', () => this.contexts.clear());
    cdp.on('Runtime.bindingCalled', ({ name, payload, executionContextId }) => {
      if (name === host.config.binding) void this.fromPreloadWorld(JSON.parse(payload) as BindingMessage, executionContextId).catch((error) => host.records.preloadErrors.push(String(error)));
    });
    await cdp.send('Page.enable');
    await cdp.send('Runtime.enable');
    const { frameTree } = await cdp.send('Page.getFrameTree');
    this.mainFrameId = frameTree.frame.id;
    this.frames.set(this.mainFrameId, { url: frameTree.frame.url, parentId: null });

    // The binding exists in the preload's world only: the page's own scripts never see it.
    await cdp.send('Runtime.addBinding', { name: host.config.binding, executionContextName: this.world });
    const preloadPath = typeof this.options.webPreferences?.preload === 'string' ? this.options.webPreferences.preload : null;
    let preloadSource: string | null = null;
    if (preloadPath) {
      // Electron reads the preload from disk for every page; a missing one leaves the page without a bridge.
      preloadSource = await readFile(preloadPath, 'utf8').catch(() => {
        host.records.preloadErrors.push(`Unable to load preload script: ${preloadPath}`);
        return null;
      });
    }
    const config = { ...host.config, preloadPath };
    await cdp.send('Page.addScriptToEvaluateOnNewDocument', { source: preloadWorldScript(config, preloadSource), worldName: this.world });
    await this.page.addInitScript({ content: mainWorldScript(config) });
    await this.page.setViewportSize({ width: this.options.width ?? 800, height: this.options.height ?? 600 });
  }

  private frameNavigated(frameId: string, parentId: string | null, url: string): void {
    this.frames.set(frameId, { url, parentId });
    if (frameId === this.mainFrameId) this.host.link.notify('window.navigated', { windowId: this.windowId, url });
  }

  /** A frame as Electron's main process would see it: the browser's URL, ids, its parent chain. */
  frameInfo(frameId: string): FrameInfo {
    const frame = this.frames.get(frameId) ?? { url: '', parentId: null };
    if (!this.routingIds.has(frameId)) this.routingIds.set(frameId, this.routingIds.size + 1);
    return { url: frame.url, processId: this.processId, routingId: this.routingIds.get(frameId)!, parent: frame.parentId ? this.frameInfo(frame.parentId) : null };
  }

  mainFrameInfo(): FrameInfo {
    return this.frameInfo(this.mainFrameId);
  }

  /** Load a URL for the main process (no `will-navigate`, as with Electron's loadURL). */
  async load(url: string): Promise<string> {
    this.expectedLoads.push(new URL(url).href);
    await this.page.goto(url, { waitUntil: 'load' });
    this.firstLoad();
    this.host.link.notify('window.ready-to-show', { windowId: this.windowId });
    return this.page.url();
  }

  /** Was this navigation one the main process (or the test's lever) asked for? */
  consumeExpectedLoad(url: string): boolean {
    const index = this.expectedLoads.indexOf(new URL(url).href);
    if (index < 0) return false;
    this.expectedLoads.splice(index, 1);
    return true;
  }

  /** Expect a navigation started outside the page (a reload, or a test's lever). */
  expectLoad(url: string): void {
    this.expectedLoads.push(new URL(url).href);
  }

  /** Run `step` after everything queued for this page: main-to-page messages keep their order, as on Electron's one IPC pipe. */
  private inOrder(step: () => Promise<void>): Promise<void> {
    const next = this.delivery.then(step);
    this.delivery = next.catch(() => {});
    return next;
  }

  /** `webContents.send`: to the preload world's listeners of the top frame, in order. */
  deliver(channel: string, args: unknown[]): void {
    const record: { channel: string; args: unknown[]; delivered: boolean; at: number | null } = { channel, args, delivered: false, at: null };
    this.host.records.sent.push(record);
    void this.inOrder(async () => {
      const context = [...this.contexts.entries()].reverse().find(([, c]) => c.world === this.world && c.frameId === this.mainFrameId);
      if (!context) return;
      const encoded = args.map((arg) => this.host.ipcCodec.encode(arg));
      await this.cdp.send('Runtime.evaluate', { contextId: context[0], expression: `globalThis[${JSON.stringify(this.host.config.harness)}].emit(${JSON.stringify(channel)}, ${JSON.stringify(encoded)})` });
      record.delivered = true;
      record.at = this.host.sequence();
    });
  }

  private async fromPreloadWorld(message: BindingMessage, contextId: number): Promise<void> {
    const { host } = this;
    const context = this.contexts.get(contextId);
    const frame = this.frameInfo(context?.frameId ?? this.mainFrameId);
    switch (message.type) {
      case 'invoke': {
        const args = message.args.map((a) => host.ipcCodec.decode(a));
        const record: IpcRecord = { channel: message.channel, args, senderUrl: frame.url, at: host.sequence(), settledAt: null, ok: false };
        host.records.ipc.push(record);
        let settle: string;
        try {
          const value = await host.link.call('ipc.invoke', { webContentsId: this.webContentsId, frame, channel: message.channel, args });
          Object.assign(record, { ok: true, value });
          settle = `true, ${JSON.stringify(host.ipcCodec.encode(value))}`;
        } catch (error) {
          record.error = (error as Error).message;
          settle = `false, ${JSON.stringify({ message: record.error })}`;
        }
        // The answer travels behind the events the main process sent before it.
        await this.inOrder(async () => {
          await this.cdp.send('Runtime.evaluate', { contextId, expression: `globalThis[${JSON.stringify(host.config.harness)}].settle(${message.id}, ${settle})` }).catch(() => {});
          record.settledAt = host.sequence();
        });
        return;
      }
      case 'send':
        await host.link.call('ipc.send', { webContentsId: this.webContentsId, frame, channel: message.channel, args: message.args.map((a) => host.ipcCodec.decode(a)) });
        return;
      case 'key': {
        const { type: _type, handledByPage, ...key } = message;
        await host.keyReported(key, handledByPage);
        return;
      }
      case 'exposed':
        host.records.exposed.push({ key: message.key, shape: message.shape });
        return;
      case 'preload-error':
        host.records.preloadErrors.push(message.message);
        return;
    }
  }
}
