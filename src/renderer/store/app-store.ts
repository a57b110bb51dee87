/**
 * The app store: one zustand vanilla store built from slices around an injected `Client`,
 * so tests pass a fake client and components never touch the transport.
 */
import { createStore } from 'zustand/vanilla';
import type { AppEvent, Client } from '../../shared/contract';
import { createBackupsSlice, appendBackupLog, noteVerifyProgress } from './backups-slice';
import { createConnectionsSlice } from './connections-slice';
import { createHistorySlice } from './history-slice';
import { applyProgress, createPlanSlice } from './plan-slice';
import { createSelectionSlice } from './selection-slice';
import { createStatusSlice } from './status-slice';
import { createSafetySlice } from './safety-slice';
import { createAdoptSlice } from './adopt-slice';
import { createRepairSlice } from './repair-slice';
import type { AppState, AppStore, SliceContext } from './types';
import { createLatestAnswer } from './latest-answer';

export interface AppStoreOptions {
  now?: () => number;
  newId?: () => string;
}

/** A store bound to `client`, subscribed to its events; `dispose` unsubscribes. */
export function createAppStore(client: Client, options: AppStoreOptions = {}): AppStore & { dispose(): void } {
  const now = options.now ?? (() => Date.now());
  const newId = options.newId ?? (() => crypto.randomUUID());
  const store = createStore<AppState>()((set, get) => {
    const ctx: SliceContext = { set, get, client, now, newId, latest: createLatestAnswer() };
    return {
      ...createConnectionsSlice(ctx),
      ...createStatusSlice(ctx),
      ...createSelectionSlice(ctx),
      ...createPlanSlice(ctx),
      ...createHistorySlice(ctx),
      ...createBackupsSlice(ctx),
      ...createSafetySlice(ctx),
      ...createAdoptSlice(ctx),
      ...createRepairSlice(ctx),
    };
  });

  // Saving a file often fires several events (write, rename, chmod): one status read for them all.
  let folderTimer: ReturnType<typeof setTimeout> | null = null;
  let folderNames = new Set<string>();
  let folderAll = false;
  const onEvent = (event: AppEvent): void => {
    if (event.type === 'migrations:folder-changed') {
      if (event.profileId !== store.getState().activeProfileId) return;
      if (event.names.length === 0) folderAll = true;
      for (const name of event.names) folderNames.add(name);
      folderTimer ??= setTimeout(() => {
        folderTimer = null;
        const names = folderAll ? [] : [...folderNames];
        folderNames = new Set();
        folderAll = false;
        void store.getState().folderChanged(event.profileId, names);
      }, 50);
    } else if (event.type === 'migrations:progressed') {
      const run = store.getState().run;
      if (run?.runId === event.runId) store.setState({ run: applyProgress(run, event.event, now()) });
    } else if (event.type === 'app:menu-invoked') {
      // Desktop menus: views switch here; dialogs open in the components that own them.
      const views = { 'view-timeline': 'timeline', 'view-history': 'history', 'view-backups': 'backups' } as const; // environments: from the view tabs
      if (event.command in views) store.getState().setView(views[event.command as keyof typeof views]);
      else store.getState().requestCommand(event.command as 'open-project' | 'new-migration');
    } else if (event.type === 'backups:progressed') {
      if (noteVerifyProgress({ get: store.getState, set: store.setState }, event.runId, event.message)) return;
      appendBackupLog({ get: store.getState, set: store.setState, now }, event.runId, event.message);
      const run = store.getState().run;
      if (run?.runId === event.runId) {
        store.setState({ run: { ...run, log: [...run.log, { at: now(), level: 'info', message: event.message }] } });
      }
    }
  };
  const unsubscribe = client.subscribe(onEvent);
  return Object.assign(store, { dispose: unsubscribe });
}
