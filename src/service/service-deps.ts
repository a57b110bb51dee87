/** What a shell (Electron or web mode) gives the service: folders, secrets, events, dialogs. */
import type { AppEvent, Profile } from '../shared/contract';
import type { EnginePort } from './engine-port';

/** The shell's keychain: Electron safeStorage on the desktop; absent in web mode. */
export interface SecretStore {
  get(profileId: string): Promise<string | undefined>;
  set(profileId: string, password: string): Promise<void>;
  delete(profileId: string): Promise<void>;
}

/** A profile given on the command line (web mode's `--db`): opened first, never saved. */
export interface InitialProfile {
  profile: Profile;
  /** Its password (e.g. from the URL), kept in memory for this session only. */
  password?: string;
}

export interface ServiceDeps {
  dataDir: string;
  mode: 'desktop' | 'web';
  version: string;
  /** Folder of the sample migrations the embedded demo runs. */
  demoMigrationsDir: string;
  emit(event: AppEvent): void;
  secrets?: SecretStore;
  pickFolder?(): Promise<string | null>;
  openInEditor?(path: string): Promise<void>;
  /** Show a file in the system's file manager (the desktop's shell.showItemInFolder). */
  showInFolder?(path: string): void;
  initialProfile?: InitialProfile;
  /** The engine; the real one unless a test injects a fake. */
  engine: EnginePort;
  /** Where unexpected (INTERNAL) errors are reported; defaults to console.error. */
  logError?(message: string, error: unknown): void;
  env?: NodeJS.ProcessEnv;
}

/** Who called: informational, for logs. */
export interface DispatchContext {
  transport: 'ipc' | 'http' | 'test' | 'prefetch';
}
