/**
 * The profiles the service knows: the embedded demo, the command line's transient profile and
 * the saved ones; how a password is found for each (session memory, keychain, environment);
 * and how a profile becomes a connection. Passwords never leave this module.
 */
import type { Profile, ProfileView } from '../shared/contract';
import { StepstoneError } from '../engine';
import type { ConnectionTarget } from '../engine';
import type { DbHandle, EnginePort, PasswordLookup } from './engine-port';
import type { DatabaseSessions } from './database-sessions';
import type { ServiceDeps } from './service-deps';
import { assertNever } from '../shared/assert-never';

export interface ProfileAccess {
  /** Built-in profiles first (demo, command line), then the saved ones. */
  list(): Promise<Profile[]>;
  /** The profile or PROFILE_NOT_FOUND. */
  require(profileId: string): Promise<Profile>;
  isBuiltIn(profileId: string): boolean;
  view(profile: Profile): Promise<ProfileView>;
  /** Remember a password for this process only (web mode's prompt). */
  rememberForSession(profileId: string, password: string): void;
  forgetSession(profileId: string): void;
  passwords: PasswordLookup;
  targetFor(profile: Profile): Promise<ConnectionTarget>;
  /** Open the profile's database for one operation, run `use`, always close. */
  withDatabase<T>(
    profileId: string,
    operation: string,
    use: (db: DbHandle, profile: Profile, target: ConnectionTarget) => Promise<T>,
    access?: 'read' | 'write',
  ): Promise<T>;
  initialProfileId: string | null;
  /** The profile given at start (command line, knexfile), which a window opens first; null for the demo. */
  initialProfile: Profile | null;
}

/** Build the profile access for one service instance. */
export function createProfileAccess(deps: ServiceDeps, engine: EnginePort, sessions: DatabaseSessions): ProfileAccess {
  const session = new Map<string, string>();
  const env = deps.env ?? process.env;
  const demo = engine.embeddedDemoProfile(deps.dataDir, deps.demoMigrationsDir);
  const initial = deps.initialProfile?.profile;
  if (deps.initialProfile?.password && initial) session.set(initial.id, deps.initialProfile.password);
  const builtIns = new Map<string, Profile>([[demo.id, demo]]);
  if (initial) builtIns.set(initial.id, initial);

  const secrets = deps.secrets;
  const passwords: PasswordLookup = {
    session: (profileId) => session.get(profileId),
    ...(secrets ? { keychain: (profileId: string) => secrets.get(profileId) } : {}),
  };

  async function find(profileId: string): Promise<Profile | undefined> {
    return builtIns.get(profileId) ?? (await engine.getProfile(deps.dataDir, profileId));
  }

  async function hasPassword(profile: Profile): Promise<boolean> {
    if (session.has(profile.id)) return true;
    switch (profile.passwordSource) {
      case 'keychain':
        return secrets !== undefined && (await secrets.get(profile.id)) !== undefined;
      case 'env':
        return profile.passwordEnv !== undefined && env[profile.passwordEnv] !== undefined;
      case 'none':
      case 'prompt':
      case 'knexfile':
        return false; // none needs none; prompt asks; a knexfile's is read only when connecting
      default:
        return assertNever(profile.passwordSource, 'password source');
    }
  }

  const access: ProfileAccess = {
    initialProfileId: initial?.id ?? null,
    initialProfile: initial ?? null,
    passwords,
    async list() {
      const saved = await engine.listProfiles(deps.dataDir);
      return [...builtIns.values(), ...saved.filter((p) => !builtIns.has(p.id))];
    },
    async require(profileId) {
      const profile = await find(profileId);
      if (!profile) {
        throw new StepstoneError('PROFILE_NOT_FOUND', `No connection profile has the id "${profileId}".`, {
          hint: 'Pick a connection from the list; it may have been deleted in another window.',
        });
      }
      return profile;
    },
    isBuiltIn: (profileId) => builtIns.has(profileId),
    async view(profile) {
      return {
        ...profile,
        hasPassword: await hasPassword(profile),
        builtIn: builtIns.has(profile.id),
        backup: engine.decideBackup(profile, { skip: false }),
        endpoint: engine.endpointOf(profile),
      };
    },
    rememberForSession(profileId, password) {
      session.set(profileId, password);
    },
    forgetSession(profileId) {
      session.delete(profileId);
    },
    targetFor: (profile) => engine.resolveTarget(profile, passwords),
    async withDatabase(profileId, operation, use, mode) {
      const profile = await access.require(profileId);
      const target = await access.targetFor(profile);
      return sessions.use(target, operation, (db) => use(db, profile, target), mode);
    },
  };
  return access;
}
