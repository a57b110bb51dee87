/**
 * What the main-process stand-in shares between its modules: the link to the renderer host, the
 * app's facts, and the records a test reads back (`records.read`).
 */
import type { HostCalls, HostNotices, Link, MainCalls, MainNotices, MainRecords } from './protocol';

export type HostLink = Link<HostCalls, HostNotices, MainCalls, MainNotices>;

/** The app being run, as `electron <appDir>` would see it. */
export interface AppFacts {
  /** The folder holding package.json (app.getAppPath()). */
  appDir: string;
  name: string;
  version: string;
  /** app.getPath('userData'): a temporary folder the test made. */
  userData: string;
  /** The "OS keychain" key safeStorage encrypts with (hex, 32 bytes), kept by the test across launches. */
  keychainKey: string;
}

export interface MainState {
  link: HostLink;
  facts: AppFacts;
  records: MainRecords;
  /** Note an Electron API the app used that the stand-in does not model (the test can assert none). */
  notModelled(what: string): void;
}

export function createMainState(link: HostLink, facts: AppFacts): MainState {
  const records: MainRecords = {
    windows: [],
    dialogs: [],
    shell: [],
    safeStorage: [],
    session: { headersHooks: 0, permissionRequestHandler: false, permissionCheckHandler: false, applied: [] },
    ipcHandlers: [],
    menuClicks: [],
    singleInstanceLock: false,
    notModelled: [],
  };
  return {
    link,
    facts,
    records,
    notModelled(what) {
      if (!records.notModelled.includes(what)) records.notModelled.push(what);
    },
  };
}
