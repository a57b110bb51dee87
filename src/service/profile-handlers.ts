/**
 * `profiles:*`: saved connections. A password given with a profile goes to the keychain on the
 * desktop and to session memory in web mode; it is never stored in the profile, never sent back.
 */
import type { Profile } from '../shared/contract';
import { StepstoneError } from '../engine';
import type { ConnectionTarget } from '../engine';
import type { HandlerMap, ServiceContext } from './handler-types';
import { splitUrlPassword } from './url-password';

const TEST_TIMEOUT_MS = 10_000;

/** Handlers of the profiles domain. */
export function profileHandlers({ deps, engine, profiles }: ServiceContext) {
  async function keepPassword(profile: Profile, password: string): Promise<Profile> {
    const asksForOne = profile.passwordSource === 'none' || profile.passwordSource === 'prompt' || profile.passwordSource === 'keychain';
    if (deps.secrets && asksForOne) {
      await deps.secrets.set(profile.id, password);
      return { ...profile, passwordSource: 'keychain' };
    }
    // No keychain (web mode), or the password normally comes from elsewhere (env, knexfile):
    // keep the typed one in this process's memory only.
    profiles.rememberForSession(profile.id, password);
    return asksForOne ? { ...profile, passwordSource: 'prompt' } : profile;
  }

  return {
    'profiles:list': async () => Promise.all((await profiles.list()).map((p) => profiles.view(p))),

    'profiles:save': async ({ profile: given, password: explicit }) => {
      if (profiles.isBuiltIn(given.id)) {
        throw new StepstoneError('INVALID_INPUT', `"${given.name}" is built in and cannot be changed.`, {
          hint: 'Duplicate it to make a profile of your own.',
        });
      }
      const split = splitUrlPassword(given);
      const password = explicit ?? split.password;
      const profile = password !== undefined ? await keepPassword(split.profile, password) : split.profile;
      const saved = await engine.saveProfile(deps.dataDir, profile);
      return profiles.view(saved);
    },

    'profiles:delete': async ({ profileId }) => {
      if (profiles.isBuiltIn(profileId)) {
        throw new StepstoneError('INVALID_INPUT', 'Built-in profiles cannot be deleted.', { hint: 'Delete one of your saved profiles instead.' });
      }
      const deleted = await engine.deleteProfile(deps.dataDir, profileId);
      profiles.forgetSession(profileId);
      await deps.secrets?.delete(profileId);
      return { deleted };
    },
    'profiles:parse-url': async ({ url }) => {
      const { host, port, user, password, database, sslMode } = engine.parseDatabaseUrl(url);
      return { host, port, user, ...(password !== undefined ? { password } : {}), database, sslMode };
    },

    'profiles:test': async (request) => {
      let target: ConnectionTarget;
      if ('profileId' in request) {
        target = await profiles.targetFor(await profiles.require(request.profileId));
      } else {
        const split = splitUrlPassword(request.profile);
        const password = request.password ?? split.password;
        // Without a typed password, an edited form reuses the saved profile's (same id) if any.
        target = password !== undefined ? { profile: split.profile, password } : await profiles.targetFor(split.profile);
      }
      return engine.testConnection(target, { timeoutMs: TEST_TIMEOUT_MS });
    },

    'profiles:provide-password': async ({ profileId, password }) => {
      await profiles.require(profileId);
      profiles.rememberForSession(profileId, password);
      return { ok: true };
    },
  } satisfies HandlerMap;
}
