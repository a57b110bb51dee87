/**
 * The migration folders being watched, one watch per profile, so every window (web tabs, the
 * desktop window) hears `migrations:folder-changed`. Only the most recently asked profiles are
 * watched; older watches close.
 */
import type { AppEvent, Profile } from '../shared/contract';
import type { EnginePort } from './engine-port';

export interface FolderWatchers {
  /** Watch `profile`'s folders (again, if its folders changed); the folders watched. */
  watch(profile: Profile): string[];
  closeAll(): void;
}

const MAX_WATCHED_PROFILES = 8;

/** Watchers reporting through `emit`. */
export function createFolderWatchers(engine: Pick<EnginePort, 'watchMigrations'>, emit: (event: AppEvent) => void): FolderWatchers {
  const watches = new Map<string, { key: string; folders: string[]; close(): void }>();
  return {
    watch(profile) {
      const key = JSON.stringify(profile.migrations);
      const existing = watches.get(profile.id);
      if (existing?.key === key) {
        // Most recently asked last, so the oldest is the one dropped.
        watches.delete(profile.id);
        watches.set(profile.id, existing);
        return existing.folders;
      }
      existing?.close();
      watches.delete(profile.id);
      const watch = engine.watchMigrations(profile.migrations, (names) => emit({ type: 'migrations:folder-changed', profileId: profile.id, names }));
      watches.set(profile.id, { key, folders: watch.folders, close: () => watch.close() });
      while (watches.size > MAX_WATCHED_PROFILES) {
        const [oldest, value] = watches.entries().next().value!;
        value.close();
        watches.delete(oldest);
      }
      return watch.folders;
    },
    closeAll() {
      for (const w of watches.values()) w.close();
      watches.clear();
    },
  };
}
