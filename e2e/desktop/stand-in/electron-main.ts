/**
 * The `electron` module as the built main bundle sees it under the stand-in: `app`,
 * `BrowserWindow`, `ipcMain`, `session`, `dialog`, `safeStorage`, `Menu`, `shell`, `nativeTheme`.
 * Anything else throws, naming the API, so a new use fails loudly instead of passing silently.
 */
import { EventEmitter } from 'node:events';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { StandInBrowserWindow } from './browser-window';
import type { MainState } from './main-state';
import { createMenu } from './menu';
import { createIpcMain, createSession } from './session-and-ipc';
import { createDialogs, createSafeStorage, createShell } from './system-services';

export type ElectronMain = ReturnType<typeof createElectronMain>;

export function createElectronMain(state: MainState) {
  const { facts } = state;
  const paths: Record<string, string> = {
    userData: facts.userData,
    sessionData: facts.userData,
    appData: dirname(facts.userData),
    logs: join(facts.userData, 'logs'),
    home: homedir(),
    temp: tmpdir(),
    exe: process.execPath,
    documents: join(homedir(), 'Documents'),
    downloads: join(homedir(), 'Downloads'),
    desktop: join(homedir(), 'Desktop'),
  };

  let ready = false;
  let quitting = false;
  let markReady: () => void = () => {};
  const readyPromise = new Promise<void>((resolve) => (markReady = resolve));

  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    name: facts.name,
    commandLine: {
      appendSwitch: (name: string) => state.notModelled(`app.commandLine.appendSwitch(${name})`),
      hasSwitch: () => false,
      getSwitchValue: () => '',
    },
    whenReady: () => readyPromise,
    isReady: () => ready,
    requestSingleInstanceLock() {
      state.records.singleInstanceLock = true;
      return true;
    },
    hasSingleInstanceLock: () => state.records.singleInstanceLock,
    releaseSingleInstanceLock() {
      state.records.singleInstanceLock = false;
    },
    getPath(name: string) {
      const path = paths[name];
      if (!path) throw new Error(`Failed to get '${name}' path`);
      return path;
    },
    setPath(name: string, path: string) {
      paths[name] = path;
    },
    getVersion: () => facts.version,
    getName: () => facts.name,
    setName: (name: string) => (app.name = name),
    getAppPath: () => facts.appDir,
    getLocale: () => 'en-US',
    setAppUserModelId() {},
    disableHardwareAcceleration() {},
    focus() {},
    quit() {
      if (quitting) return;
      quitting = true;
      if (emitCancellable('before-quit')) return void (quitting = false);
      for (const window of StandInBrowserWindow.getAllWindows()) window.close();
      if (emitCancellable('will-quit')) return void (quitting = false);
      app.emit('quit', {}, 0);
      // Let replies in flight reach the host, then end like Electron's process.
      setTimeout(() => process.exit(0), 50);
    },
    exit(code = 0) {
      process.exit(code);
    },
    /** Mark Electron ready (the launcher calls this once the app's entry module has run). */
    markReady() {
      ready = true;
      app.emit('will-finish-launching');
      app.emit('ready', {}, {});
      markReady();
    },
    emitWindowAllClosed() {
      // Without a listener, Electron quits when the last window closes.
      if (app.listenerCount('window-all-closed') === 0) app.quit();
      else app.emit('window-all-closed');
    },
  });

  function emitCancellable(name: string): boolean {
    let prevented = false;
    app.emit(name, { preventDefault: () => (prevented = true) });
    return prevented;
  }

  StandInBrowserWindow.app = app;
  StandInBrowserWindow.state = state;
  const session = createSession(state);
  const ipc = createIpcMain(state);
  const dialogs = createDialogs(state);
  const storage = createSafeStorage(state);
  const shell = createShell(state);
  const menu = createMenu(
    state,
    () => StandInBrowserWindow.getFocusedWindow(),
    (role) => {
      const window = StandInBrowserWindow.getFocusedWindow();
      if (role === 'quit') app.quit();
      else if (role === 'close') window?.close();
      else if (role === 'reload' || role === 'forceReload') window?.webContents.reload();
      else state.notModelled(`menu role ${role}`);
    },
  );

  const nativeTheme = Object.assign(new EventEmitter(), { shouldUseDarkColors: false, themeSource: 'system', shouldUseHighContrastColors: false });

  const exports: Record<string, unknown> = {
    app,
    BrowserWindow: StandInBrowserWindow,
    ipcMain: ipc.ipcMain,
    session: session.session,
    dialog: dialogs.dialog,
    safeStorage: storage.safeStorage,
    Menu: menu.Menu,
    shell,
    nativeTheme,
  };
  // Probes bundlers and loaders make on any module.
  const harmless = new Set(['__esModule', 'default', 'then', 'toJSON', 'constructor', 'inspect']);
  const module = new Proxy(exports, {
    get(target, name) {
      if (typeof name !== 'string' || name in target) return target[name as string];
      if (harmless.has(name)) return undefined;
      throw new Error(`The Electron stand-in (e2e/desktop/stand-in) does not model electron.${name}: add it there if the app now uses it.`);
    },
  });

  return { module, app, session, ipc, dialogs, storage, menu };
}
