/**
 * A saved profile plus its password, found where the profile says it lives. The secret stores
 * are passed in (the desktop's keychain, the process's session memory), never imported.
 */
import type { Profile } from '../../shared/profile';
import type { ConnectionTarget } from '../connection/connection-target';
import { StepstoneError } from '../errors';
import { resolveKnexfileTarget } from '../project/knexfile-target';
import { assertNever } from '../../shared/assert-never';

/** Where passwords can be looked up by profile id; either may be absent (CLI, web mode). */
export interface SecretSource {
  keychain?(profileId: string): Promise<string | undefined>;
  session?(profileId: string): string | undefined;
}

function needPassword(profile: Profile, where: string): StepstoneError {
  return new StepstoneError('PASSWORD_REQUIRED', `Stepstone needs the password for ${profile.name}.`, {
    hint: where,
  });
}

/**
 * The connection target of a profile. A password typed in this session wins (it is the user's
 * latest word, e.g. after a refused one); otherwise by `passwordSource`: `none` (the URL's own
 * password, if any), `keychain`, `env` (`passwordEnv`, CONFIG_INVALID when unset), `prompt`
 * (PASSWORD_REQUIRED until one is given), `knexfile` (re-read now, with its fields refreshed).
 */
export async function resolveTarget(profile: Profile, secrets: SecretSource, env: NodeJS.ProcessEnv = process.env): Promise<ConnectionTarget> {
  if (profile.kind === 'embedded') return { profile };
  const typed = secrets.session?.(profile.id);
  const withPassword = (target: ConnectionTarget, password: string | undefined): ConnectionTarget =>
    password !== undefined ? { ...target, password } : target;

  const source = profile.passwordSource ?? 'none';
  switch (source) {
    case 'none':
      return withPassword({ profile }, typed);
    case 'keychain': {
      const password = typed ?? (await secrets.keychain?.(profile.id));
      if (password === undefined) {
        throw needPassword(
          profile,
          secrets.keychain
            ? 'No password is saved in the keychain for it: enter it to connect (and save it again).'
            : 'Its password is kept in the desktop app\'s keychain, which is not available here: enter it, or use an environment variable.',
        );
      }
      return { profile, password };
    }
    case 'env': {
      if (typed !== undefined) return { profile, password: typed };
      if (!profile.passwordEnv) {
        throw new StepstoneError('CONFIG_INVALID', `${profile.name} takes its password from an environment variable but names none.`, {
          hint: 'Set the variable\'s name in the profile, or choose another password source.',
        });
      }
      const password = env[profile.passwordEnv];
      if (password === undefined) {
        throw new StepstoneError('CONFIG_INVALID', `${profile.name}'s password comes from ${profile.passwordEnv}, which is not set.`, {
          hint: `Set ${profile.passwordEnv} in the environment Stepstone runs in, or choose another password source.`,
        });
      }
      return { profile, password };
    }
    case 'prompt':
      if (typed === undefined) throw needPassword(profile, 'Enter it to connect; it is kept in memory until Stepstone quits.');
      return { profile, password: typed };
    case 'knexfile': {
      const target = await resolveKnexfileTarget(profile);
      return withPassword(target, typed ?? target.password);
    }
    default:
      return assertNever(source, 'password source');
  }
}
