/**
 * Where Stepstone keeps its own files (profiles, backups, settings, the demo database):
 * STEPSTONE_HOME when set, else the platform's user-data folder (the same place Electron's
 * `userData` points to for an app named Stepstone), so tests and scripts can isolate it.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The data folder; `explicit` (e.g. Electron's userData) wins over everything. */
export function resolveDataDir(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) return explicit;
  if (env.STEPSTONE_HOME) return env.STEPSTONE_HOME;
  const home = homedir();
  switch (process.platform) {
    case 'darwin':
      return join(home, 'Library', 'Application Support', 'Stepstone');
    case 'win32':
      return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Stepstone');
    default:
      return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'Stepstone');
  }
}
