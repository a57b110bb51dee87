/**
 * Launch the desktop app on the Electron stand-in: the built main bundle (`out/main`, through
 * package.json's `main`) in a Node child process whose `require('electron')` is the stand-in, and
 * its windows as pages of the test's browser context, with the built preload in an isolated world
 * and the built renderer loaded from `out/renderer` as Electron would load it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import type { BrowserContext, Page } from '@playwright/test';
import { createLink, type DialogMethod, type HostCalls, type HostNotices, type MainCalls, type MainNotices, type MainRecords, type Message, type RecordedMenuItem } from './stand-in/protocol';
import { RendererHost } from './host/renderer-host';

const ROOT = join(__dirname, '..', '..');
const CACHE = join(ROOT, 'node_modules', '.cache', 'stepstone-electron-stand-in');
let launcher: string | null = null;

/** Bundle the stand-in's main-process half once per worker (esbuild, a few ms). */
function standInLauncher(): string {
  if (launcher) return launcher;
  mkdirSync(CACHE, { recursive: true });
  const target = join(CACHE, 'launch.cjs');
  const temporary = `${target}.${process.pid}.tmp`;
  buildSync({ entryPoints: [join(__dirname, 'stand-in', 'launch.ts')], outfile: temporary, bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: 'inline', logLevel: 'warning' });
  renameSync(temporary, target);
  return (launcher = target);
}

export interface LaunchOptions {
  context: BrowserContext;
  /** The page that becomes the first window (the test's `page`, so screenshots and traces work). */
  page?: Page;
  /** app.getPath('userData'). */
  userData: string;
  /** The "OS keychain" key for safeStorage: keep it to relaunch with the same keychain. */
  keychainKey?: string;
  /** safeStorage as the OS offers it, before the app starts. */
  safeStorage?: { available?: boolean; backend?: string };
}

/** The running app, and the levers and records a test has over it. */
export interface DesktopApp {
  /** The first window's page. */
  page: Page;
  host: RendererHost;
  keychainKey: string;
  /** What the main process recorded of the app's use of Electron. */
  records(): Promise<MainRecords>;
  menu: {
    template(): RecordedMenuItem[] | null;
    /** Click File › Open project… by its labels. */
    click(...path: string[]): Promise<string>;
    /** Press an accelerator ("CmdOrCtrl+O") in the page; resolves with the item it clicked, or null. */
    press(accelerator: string): Promise<string | null>;
  };
  /** Queue the answers the next dialogs of this kind give, as Electron's dialog module returns them. */
  scriptDialog(method: DialogMethod, ...answers: unknown[]): Promise<void>;
  safeStorage: {
    configure(options: { available?: boolean; backend?: string }): Promise<void>;
    /** Decrypt what the app stored with safeStorage (proves it is the keychain's ciphertext). */
    decrypt(base64: string): Promise<string>;
  };
  /** Serve `html` for a foreign origin (nothing ever reaches the network). */
  serveSite(origin: string, html: string): void;
  /**
   * Navigate the window without asking `will-navigate`: models a navigation the guard did not see
   * (a redirect, a bug), so the IPC sender check can be exercised from a foreign page.
   */
  navigateAroundGuards(url: string): Promise<void>;
  /** The main process's stdout and stderr so far. */
  output(): string;
  close(): Promise<void>;
}

export async function launchDesktop(options: LaunchOptions): Promise<DesktopApp> {
  const keychainKey = options.keychainKey ?? randomBytes(32).toString('hex');
  const env: NodeJS.ProcessEnv = { ...process.env, STEPSTONE_STAND_IN_USER_DATA: options.userData, STEPSTONE_STAND_IN_KEYCHAIN: keychainKey };
  // The app must find its data through userData and load the built renderer, as when double-clicked.
  delete env.STEPSTONE_HOME;
  delete env.ELECTRON_RENDERER_URL;
  const child: ChildProcess = fork(standInLauncher(), [ROOT], { cwd: tmpdir(), env, execArgv: ['--enable-source-maps'], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const link = createLink<MainCalls, MainNotices, HostCalls, HostNotices>((message) => {
    // A message to a process that is exiting is dropped (the link rejects what was pending).
    if (child.connected) child.send(message, () => {});
  });
  child.on('message', (message) => link.receive(message as Message));
  child.once('exit', (code, signal) => link.close(`the main process exited (${signal ?? code})`));

  const host = new RendererHost(options.context, link, options.page);
  await host.install();
  if (options.safeStorage) await link.call('safeStorage.configure', options.safeStorage);

  const failed = exited.then(() => {
    throw new Error(`The main process exited before its first window loaded.\n${output}`);
  });
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`No window loaded within 30 s.\n${output}`)), 30_000).unref());
  const window = await Promise.race([host.firstWindow(), failed, timeout]);

  return {
    page: window.page,
    host,
    keychainKey,
    records: () => link.call('records.read', {}),
    menu: {
      template: () => host.menuTemplate,
      click: async (...path) => (await link.call('menu.click', { path })).clicked,
      async press(accelerator) {
        const clicked = host.nextKey();
        await window.page.keyboard.press(playwrightKey(accelerator));
        return clicked;
      },
    },
    scriptDialog: async (method, ...answers) => {
      await link.call('dialog.script', { method, answers });
    },
    safeStorage: {
      configure: async (settings) => {
        await link.call('safeStorage.configure', settings);
      },
      decrypt: (base64) => link.call('safeStorage.decrypt', { base64 }),
    },
    serveSite: (origin, html) => host.sites.set(new URL(origin).origin, html),
    async navigateAroundGuards(url) {
      window.expectLoad(url);
      await window.page.goto(url);
    },
    output: () => output,
    async close() {
      if (child.exitCode === null && child.signalCode === null) {
        await link.call('app.quit', {}).catch(() => {});
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      await options.context.unroute('**/*').catch(() => {});
      await host.dispose();
    },
  };
}

/** "CmdOrCtrl+Shift+O" → "Control+Shift+o" (Linux). */
export function playwrightKey(accelerator: string): string {
  const parts = accelerator.split('+');
  const key = parts.pop()!;
  const modifiers = parts.map((p) => {
    const m = p.toLowerCase();
    if (['cmdorctrl', 'commandorcontrol', 'ctrl', 'control'].includes(m)) return 'Control';
    if (['alt', 'option'].includes(m)) return 'Alt';
    if (['super', 'meta', 'cmd', 'command'].includes(m)) return 'Meta';
    if (m === 'shift') return 'Shift';
    throw new Error(`Unknown modifier ${p} in ${accelerator}`);
  });
  return [...modifiers, key.length === 1 ? key.toLowerCase() : key].join('+');
}
