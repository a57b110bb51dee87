/**
 * The main process under the stand-in, started by the test as `node launch.cjs <appDir>` with a
 * Node IPC channel to the renderer host: it answers `require('electron')` with the stand-in,
 * then runs the app the way `electron <appDir>` does, from package.json's `main`.
 */
import Module from 'node:module';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createElectronMain } from './electron-main';
import { StandInBrowserWindow } from './browser-window';
import { createMainState } from './main-state';
import { createLink, type HostCalls, type HostNotices, type MainCalls, type MainNotices, type Message } from './protocol';

const ELECTRON_VERSION = '45.4.1';

function main(): void {
  const appDir = resolve(process.argv[2] ?? '.');
  const send = process.send?.bind(process);
  if (!send) throw new Error('launch.cjs must be started with an IPC channel (child_process.fork).');

  const link = createLink<HostCalls, HostNotices, MainCalls, MainNotices>((message) => send(message));
  process.on('message', (message) => link.receive(message as Message));
  // The test went away: so does the app.
  process.on('disconnect', () => process.exit(0));

  const pkg = JSON.parse(readFileSync(join(appDir, 'package.json'), 'utf8')) as { name: string; productName?: string; version: string; main?: string };
  const userData = takeEnv('STEPSTONE_STAND_IN_USER_DATA');
  const keychainKey = takeEnv('STEPSTONE_STAND_IN_KEYCHAIN');
  const state = createMainState(link, { appDir, name: pkg.productName ?? pkg.name, version: pkg.version, userData, keychainKey });
  const electron = createElectronMain(state);
  answerHost(electron, state);

  // Make `require('electron')` the stand-in, for the app and everything it loads.
  const moduleInternals = Module as unknown as { _load(request: string, parent: unknown, isMain: boolean): unknown };
  const load = moduleInternals._load;
  moduleInternals._load = function (request, parent, isMain) {
    if (request === 'electron' || request === 'electron/main') return electron.module;
    return load.call(this, request, parent, isMain);
  };

  // What Electron's main process has that plain Node lacks.
  Object.defineProperty(process.versions, 'electron', { value: ELECTRON_VERSION, enumerable: true });
  Object.defineProperty(process, 'type', { value: 'browser', enumerable: true });
  Object.defineProperty(process, 'resourcesPath', { value: join(appDir, 'node_modules', 'electron', 'dist', 'resources'), enumerable: true });

  require(resolve(appDir, pkg.main ?? 'index.js'));
  // Electron emits 'ready' after the entry module ran and the platform is up.
  setImmediate(() => electron.app.markReady());
}

function takeEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: the desktop harness (e2e/desktop) sets it.`);
  delete process.env[name];
  return value;
}

function answerHost(electron: ReturnType<typeof createElectronMain>, state: ReturnType<typeof createMainState>): void {
  const { link } = state;
  const window = (id: number) => StandInBrowserWindow.all.find((w) => w.id === id);
  const contents = (id: number) => StandInBrowserWindow.all.find((w) => w.webContents.id === id)?.webContents;

  link.answer('ipc.invoke', ({ webContentsId, frame, channel, args }) => electron.ipc.invoke(webContentsId, frame, channel, args));
  link.answer('ipc.send', ({ webContentsId, frame, channel, args }) => {
    electron.ipc.send(webContentsId, frame, channel, args);
    return null;
  });
  link.answer('navigation.will-navigate', ({ webContentsId, url, frame }) => {
    const target = contents(webContentsId);
    if (!target) return { prevented: true };
    const prevented = target.emitCancellable('will-navigate', { url, isMainFrame: frame.parent === null, frame }, url, false, frame.parent === null, frame.processId, frame.routingId);
    return { prevented };
  });
  link.answer('window.open-requested', ({ webContentsId, url, disposition }) => {
    const target = contents(webContentsId);
    const handler = target?.windowOpenHandler;
    // Electron's default without a handler: the window opens.
    if (!handler) return { action: 'allow' as const };
    const decision = handler({ url, frameName: '', features: '', disposition, referrer: { url: target.getURL(), policy: 'strict-origin-when-cross-origin' } });
    return { action: decision?.action === 'allow' ? ('allow' as const) : ('deny' as const) };
  });
  link.answer('session.headers-received', (details) => electron.session.headersReceived(details));
  link.answer('session.permission', ({ webContentsId, permission, origin }) => electron.session.permission(webContentsId, permission, origin));
  link.answer('menu.click', ({ path }) => ({ clicked: electron.menu.click(path) }));
  link.answer('menu.key', (key) => ({ clicked: electron.menu.press(key) }));
  link.answer('dialog.script', ({ method, answers }) => {
    electron.dialogs.script(method, answers);
    return null;
  });
  link.answer('safeStorage.configure', (options) => {
    electron.storage.configure(options);
    return null;
  });
  link.answer('safeStorage.decrypt', ({ base64 }) => electron.storage.decrypt(base64));
  link.answer('records.read', () => structuredClone(state.records));
  link.answer('app.quit', () => {
    electron.app.quit();
    return null;
  });
  link.onNotice('window.navigated', ({ windowId, url }) => window(windowId)?.navigated(url));
  link.onNotice('window.ready-to-show', ({ windowId }) => window(windowId)?.emit('ready-to-show'));
  link.onNotice('window.closed', ({ windowId }) => window(windowId)?.closed());
}

main();
