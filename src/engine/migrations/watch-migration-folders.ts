/**
 * Watches a profile's migration folders and calls back (debounced) when a migration file appears,
 * changes or goes away, so the app's timeline follows the disk without polling.
 */
import { watch, type FSWatcher } from 'node:fs';
import { extname, resolve } from 'node:path';
import type { MigrationSettings } from '../../shared/profile';
import { KNEX_LOAD_EXTENSIONS } from './list-migration-files';

export interface FolderWatch {
  /** The folders actually watched (a missing folder cannot be). */
  folders: string[];
  close(): void;
}

/** Editors' temporary files: saving through them must not count twice, nor count alone. */
function isScratchFile(name: string): boolean {
  return name.startsWith('.') || name.endsWith('~') || /\.(swp|swx|tmp)$/.test(name) || name.startsWith('#');
}

/** Watch `settings.directories`; `onChange(names)` gets the file names touched within `debounceMs`. */
export function watchMigrationFolders(settings: MigrationSettings, onChange: (names: string[]) => void, debounceMs = 100): FolderWatch {
  const extensions = new Set(settings.loadExtensions ?? KNEX_LOAD_EXTENSIONS);
  const watchers: FSWatcher[] = [];
  const folders: string[] = [];
  let pending = new Set<string>();
  let timer: NodeJS.Timeout | null = null;
  const flush = () => {
    timer = null;
    const names = [...pending];
    pending = new Set();
    onChange(names);
  };
  for (const dir of settings.directories) {
    const folder = resolve(dir);
    try {
      const watcher = watch(folder, { persistent: false }, (_event, file) => {
        const name = file?.toString() ?? '';
        // A null name (some platforms) may be anything: refresh. Otherwise only files Knex would load.
        if (name && (isScratchFile(name) || !extensions.has(extname(name)))) return;
        pending.add(name);
        timer ??= setTimeout(flush, debounceMs);
      });
      watcher.on('error', () => watcher.close()); // the folder went away: nothing left to watch there
      watchers.push(watcher);
      folders.push(folder);
    } catch {
      // Missing or unreadable folder: status reports it; nothing to watch.
    }
  }
  return {
    folders,
    close() {
      if (timer) clearTimeout(timer);
      for (const w of watchers) w.close();
    },
  };
}
