/**
 * The one window: sandboxed, isolated, no Node in the page, a strict CSP on every response,
 * navigation and new windows denied (allow-listed documentation links go to the browser), every
 * permission request refused.
 */
import { BrowserWindow, session, shell } from 'electron';
import { contentSecurityPolicy } from './content-security-policy';
import { isAllowedExternalLink } from './external-links';
import { isAppUrl, type RendererEntry } from './renderer-entry';

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
  // The options stay a literal here so electronegativity (scripts/electronegativity.mjs) can read them.
  // electronegativity: AUXCLICK_JS_CHECK — `disableBlinkFeatures: 'Auxclick'` no longer stops a
  // middle-click in current Chromium (the flag is gone); the preload cancels auxclick and the
  // window-open handler below denies every window (e2e/desktop/navigation.spec.ts).
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 560,
    title: 'Stepstone',
    show: false,
    webPreferences: {
      // electronegativity: PRELOAD_JS_CHECK — reviewed: the sandboxed preload exposes only
      // invoke/subscribe and requires only 'electron' (e2e/desktop/bridge.spec.ts, test/package-smoke.test.ts).
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
  });
  const contents = window.webContents;
  contents.on('will-navigate', (event, url) => {
    if (isAppUrl(url, entry)) return;
    event.preventDefault();
    openIfAllowed(url);
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, entry)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // Nothing opens inside the app; documentation links go to the user's browser.
    openIfAllowed(url);
    return { action: 'deny' };
  });
  window.once('ready-to-show', () => window.show());
  if (entry.kind === 'url') void window.loadURL(entry.url);
  else void window.loadFile(entry.path);
  return window;
}

/** Hand a link to the user's browser only when it goes to a host the app links to. */
function openIfAllowed(url: string): void {
  // electronegativity: OPEN_EXTERNAL_JS_CHECK — only https links to the allow-listed hosts of
  // external-links.ts reach the browser (external-links.test.ts, e2e/desktop/navigation.spec.ts).
  if (isAllowedExternalLink(url)) void shell.openExternal(url);
}
