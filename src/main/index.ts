/** Electron main process entry: one instance, one window, the service behind IPC. */
import { app, BrowserWindow } from 'electron';
import { startDesktop, type Desktop } from './desktop-app';

let desktop: Desktop | null = null;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const window = desktop?.window;
    if (window && !window.isDestroyed()) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });
  app.on('web-contents-created', (_event, contents) => {
    // No webviews and no child windows anywhere, whatever the page tries.
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
  void app.whenReady().then(() => {
    desktop = startDesktop({ mainDir: __dirname });
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) {
        desktop?.dispose();
        desktop = startDesktop({ mainDir: __dirname });
      }
    });
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', () => desktop?.dispose());
}
