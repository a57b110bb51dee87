// The main-process wiring against a fake `electron` module: secure window, CSP, denied
// navigation and permissions, the IPC sender check and dispatch, menu events.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createFakeEngine } from '../service/fake-engine.testkit';
import { createFakeElectron, FakeBrowserWindow, type FakeFrame } from './fake-electron.testkit';

const fake = vi.hoisted(() => ({ electron: null as unknown as ReturnType<typeof createFakeElectron> }));
vi.mock('electron', async () => {
  const { createFakeElectron } = await import('./fake-electron.testkit');
  fake.electron = createFakeElectron();
  return fake.electron.module;
});

const { startDesktop } = await import('./desktop-app');

let home: string;
let desktop: ReturnType<typeof startDesktop>;
let window: FakeBrowserWindow;
const mainDir = '/opt/stepstone/out/main';
const indexUrl = pathToFileURL('/opt/stepstone/out/renderer/index.html').toString();

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'stepstone-main-'));
  desktop = startDesktop({ mainDir, engine: createFakeEngine().engine, env: { STEPSTONE_HOME: home } });
  window = FakeBrowserWindow.created.at(-1)!;
});

afterAll(async () => {
  desktop.dispose();
  await rm(home, { recursive: true, force: true });
});

function invoke(frame: Partial<FakeFrame> | null, channel: unknown, request: unknown, sender: unknown = window.webContents) {
  const handler = fake.electron.captured.handlers.get('stepstone:invoke');
  if (!handler) throw new Error('no invoke handler registered');
  return handler({ sender, senderFrame: frame }, channel, request);
}

describe('window', () => {
  it('is isolated, sandboxed, without Node, with web security and the built preload', () => {
    expect(window.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      preload: '/opt/stepstone/out/preload/index.js',
    });
    expect(window.loaded.file).toBe('/opt/stepstone/out/renderer/index.html');
  });

  it('uses the data folder from STEPSTONE_HOME', () => {
    expect(desktop.dataDir).toBe(home);
  });

  it('adds the strict CSP to every response and refuses permissions', () => {
    let headers: Record<string, string[]> = {};
    fake.electron.captured.headersListener!({ responseHeaders: { 'X-Other': ['1'] } }, (result: { responseHeaders: Record<string, string[]> }) => (headers = result.responseHeaders));
    expect(headers['Content-Security-Policy'][0]).toContain("script-src 'self'");
    expect(headers['Content-Security-Policy'][0]).toContain("object-src 'none'");
    expect(headers['X-Other']).toEqual(['1']);
    let granted: boolean | undefined;
    fake.electron.captured.permissionHandler!(window.webContents, 'media', (allowed: boolean) => (granted = allowed));
    expect(granted).toBe(false);
    expect(fake.electron.captured.permissionCheck!()).toBe(false);
  });

  it('denies navigation away from the app and every new window', () => {
    expect(window.webContents.fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(window.webContents.fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(window.webContents.fire('will-navigate', indexUrl)).toBe(false);
    expect(window.webContents.windowOpenHandler!({ url: 'https://example.com' })).toEqual({ action: 'deny' });
    expect(window.webContents.windowOpenHandler!({ url: 'file:///x' })).toEqual({ action: 'deny' });
  });

  it('hands only allow-listed https links to the browser, from a new window or a navigation', () => {
    const openExternal = fake.electron.module.shell.openExternal;
    openExternal.mockClear();
    expect(window.webContents.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(window.webContents.fire('will-navigate', 'https://knexjs.org.evil.example/')).toBe(true);
    expect(openExternal).not.toHaveBeenCalled();
    expect(window.webContents.windowOpenHandler!({ url: 'https://knexjs.org/guide/migrations.html' })).toEqual({ action: 'deny' });
    expect(window.webContents.fire('will-navigate', 'https://www.postgresql.org/docs/')).toBe(true);
    expect(openExternal.mock.calls).toEqual([['https://knexjs.org/guide/migrations.html'], ['https://www.postgresql.org/docs/']]);
  });
});

describe('IPC', () => {
  it('rejects calls from another frame, a subframe, another page or another webContents', async () => {
    const main = window.webContents.mainFrame;
    expect(main.url).toBe(indexUrl);
    const forbidden = { ok: false, error: { code: 'FORBIDDEN' } };
    await expect(invoke({ ...main, routingId: main.routingId + 100 }, 'app:info', {})).resolves.toMatchObject(forbidden);
    await expect(invoke({ ...main, processId: main.processId + 1 }, 'app:info', {})).resolves.toMatchObject(forbidden);
    await expect(invoke({ ...main, parent: main }, 'app:info', {})).resolves.toMatchObject(forbidden);
    await expect(invoke(null, 'app:info', {})).resolves.toMatchObject(forbidden);
    await expect(invoke(main, 'app:info', {}, { id: window.webContents.id + 1 })).resolves.toMatchObject(forbidden);
    await expect(invoke({ ...main, url: 'https://evil.example/' }, 'app:info', {})).resolves.toMatchObject(forbidden);
    await expect(invoke({ ...main, url: 'file:///tmp/other.html' }, 'app:info', {})).resolves.toMatchObject(forbidden);
    await expect(invoke(main, 'app:info', {})).resolves.toMatchObject({ ok: true });
  });

  it('validates payloads from the app and dispatches valid ones', async () => {
    const main = window.webContents.mainFrame;
    await expect(invoke(main, 'migrations:status', { profileId: 42 })).resolves.toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    await expect(invoke(main, 'shell:exec', {})).resolves.toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    await expect(invoke(main, { toString: () => 'app:info' }, {})).resolves.toMatchObject({ ok: false });
    await expect(invoke(main, 'app:info', {})).resolves.toEqual({
      ok: true,
      value: { mode: 'desktop', version: '9.9.9', dataDir: home, initialProfileId: null, canPickFolders: true, canOpenEditor: true, canShowInFolder: true },
    });
  });

  it('forwards events and menu commands to the window', () => {
    const template = fake.electron.captured.menuTemplate as Array<{ label?: string; submenu?: Array<{ label?: string; click?: () => void }> }>;
    const file = template.find((m) => m.label === 'File')!;
    expect(file.submenu!.map((i) => i.label).filter(Boolean)).toEqual(['Open project…', 'New migration…']);
    const view = template.find((m) => m.label === 'View')!;
    expect(view.submenu!.map((i) => i.label).filter(Boolean)).toEqual(['Timeline', 'History', 'Backups']);
    view.submenu!.find((i) => i.label === 'History')!.click!();
    expect(window.webContents.sent.at(-1)).toEqual({ channel: 'stepstone:event', payload: { type: 'app:menu-invoked', command: 'view-history' } });
  });
});
