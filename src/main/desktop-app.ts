/**
 * The desktop shell's wiring once Electron is ready: the service with the keychain, dialogs and
 * the editor, the locked-down window, the IPC entry point and the menu.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { app, dialog, safeStorage, shell } from 'electron';
import type { BrowserWindow } from 'electron';
import type { AppEvent } from '../shared/contract';
import { resolveDataDir } from '../engine/data-folder';
import { createService, type Service } from '../service/create-service';
import { ensureDemoMigrations } from '../service/demo-migrations';
import type { EnginePort } from '../service/engine-port';
import { createRealEngine } from '../service/real-engine';
import { installMenu } from './app-menu';
import { forwardEvent, registerIpc } from './ipc';
import { createMainWindow, lockDownSession } from './main-window';
import { rendererEntry } from './renderer-entry';
import { createSafeStorageSecrets } from './secret-store';

export interface DesktopOptions {
  /** Folder of the built main process (out/main), for the preload and renderer paths. */
  mainDir: string;
  engine?: EnginePort;
  env?: NodeJS.ProcessEnv;
}

export interface Desktop {
  window: BrowserWindow;
  service: Service;
  dataDir: string;
  dispose(): void;
}

/** Where the sample migrations are: shipped as an extra resource when packaged. */
function sampleMigrationsDir(): string {
  return app.isPackaged ? join(process.resourcesPath, 'demo-migrations') : join(app.getAppPath(), 'migrations');
}

/** Build everything and open the window. */
export function startDesktop(options: DesktopOptions): Desktop {
  const env = options.env ?? process.env;
  const dataDir = resolveDataDir(env.STEPSTONE_HOME ? undefined : app.getPath('userData'), env);
  mkdirSync(dataDir, { recursive: true });
  const entry = rendererEntry(options.mainDir, env, app.isPackaged);
  let window: BrowserWindow | null = null;
  const getWindow = () => window;
  const emit = (event: AppEvent) => forwardEvent(getWindow, event);

  const service = createService({
    dataDir,
    mode: 'desktop',
    version: app.getVersion(),
    demoMigrationsDir: ensureDemoMigrations(sampleMigrationsDir(), dataDir),
    emit,
    engine: options.engine ?? createRealEngine(),
    secrets: createSafeStorageSecrets(join(dataDir, 'secrets.json'), safeStorage),
    async pickFolder() {
      const parent = getWindow();
      const picked = parent
        ? await dialog.showOpenDialog(parent, { title: 'Open project', properties: ['openDirectory'] })
        : await dialog.showOpenDialog({ title: 'Open project', properties: ['openDirectory'] });
      return picked.canceled || picked.filePaths.length === 0 ? null : picked.filePaths[0];
    },
    async openInEditor(path) {
      const failure = await shell.openPath(path);
      if (failure) throw new Error(`Could not open ${path}: ${failure}`);
    },
    showInFolder(path) {
      shell.showItemInFolder(path);
    },
  });

  lockDownSession(entry);
  const removeIpc = registerIpc(service, getWindow, entry);
  // The window's first status is read while its code loads.
  service.prefetchStatus();
  window = createMainWindow(join(options.mainDir, '..', 'preload', 'index.js'), entry);
  window.on('closed', () => {
    window = null;
  });
  installMenu({ command: (command) => emit({ type: 'app:menu-invoked', command }), dataDir, isMac: process.platform === 'darwin', isDev: entry.kind === 'url' });

  return {
    window,
    service,
    dataDir,
    dispose() {
      removeIpc();
      void service.shutdown();
    },
  };
}
