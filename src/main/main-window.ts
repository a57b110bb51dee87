/**
 * The one window: sandboxed, isolated, no Node in the page, a strict CSP on every response,
 * navigation and new windows denied, every permission request refused.
 */
import { BrowserWindow, session, shell } from 'electron';
import type { BrowserWindowConstructorOptions } from 'electron';
import { contentSecurityPolicy } from './content-security-policy';
import { isAppUrl, type RendererEntry } from './renderer-entry';

/** The window options; exported so a test can check each security switch. */
export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 560,
    title: 'Stepstone',
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  };
}

/** Apply the CSP header and refuse permissions for the default session. */
export function lockDownSession(entry: RendererEntry): void {
  const policy = contentSecurityPolicy(entry);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [policy] } });
  });
  session.defaultSession.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}

/** Create the window and load the renderer. */
export function createMainWindow(preloadPath: string, entry: RendererEntry): BrowserWindow {
  const window = new BrowserWindow(mainWindowOptions(preloadPath));
  const contents = window.webContents;
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, entry)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, entry)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // Links to documentation open in the user's browser; nothing opens inside the app.
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.once('ready-to-show', () => window.show());
  if (entry.kind === 'url') void window.loadURL(entry.url);
  else void window.loadFile(entry.path);
  return window;
}
