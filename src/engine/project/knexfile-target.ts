/**
 * Connecting with a profile that came from a knexfile: the knexfile is read again at connect
 * time, so the environment variables (and the password) are those of this moment.
 */
import type { Profile } from '../../shared/profile';
import type { ConnectionTarget } from '../connection/connection-target';
import { StepstoneError } from '../errors';
import { type KnexfileConnection, assertUsable, readKnexfileConnection, unsetVariablesIn } from './knexfile-connection';
import { readKnexfile } from './read-knexfile';

async function readConnectionOf(profile: Profile): Promise<KnexfileConnection> {
  if (!profile.source) {
    throw new StepstoneError('CONFIG_INVALID', `The profile "${profile.name}" did not come from a knexfile, so it has no knexfile password.`, {
      hint: 'Choose where its password comes from (keychain, environment variable or prompt).',
    });
  }
  const { knexfile, env } = profile.source;
  const contents = await readKnexfile(knexfile);
  const found = contents.environments.find((e) => e.env === env) ?? (contents.shape === 'single' ? contents.environments[0] : undefined);
  if (!found) {
    throw new StepstoneError('ENVIRONMENT_NOT_FOUND', `The knexfile ${knexfile} no longer has an environment "${env}".`, {
      hint: `Open the project folder again to refresh its profiles (it has: ${contents.environments.map((e) => e.env).join(', ')}).`,
    });
  }
  // A knexfile without environments has one configuration for all: messages must not name an environment it lacks.
  const whose = contents.shape === 'single' ? 'This knexfile' : env;
  return readKnexfileConnection(found.config.connection, whose, unsetVariablesIn(contents.source));
}

/** The profile's connection as its knexfile gives it now (fields refreshed) plus the password; CONFIG_INVALID if unusable. */
export async function resolveKnexfileTarget(profile: Profile): Promise<ConnectionTarget> {
  const connection = await readConnectionOf(profile);
  assertUsable(connection, profile.name);
  const refreshed: Profile = {
    ...profile,
    url: undefined,
    host: undefined,
    port: undefined,
    user: undefined,
    database: undefined,
    ...connection.fields,
    // An SSL mode set on the profile (in the app) holds unless the knexfile sets its own.
    sslMode: connection.fields.sslMode ?? profile.sslMode,
  };
  return {
    profile: refreshed,
    ...(connection.password !== undefined ? { password: connection.password } : {}),
    ...(connection.tls ? { tls: connection.tls } : {}),
  };
}

/** The password the knexfile gives this profile's environment now (undefined when it gives none). */
export async function resolveKnexfilePassword(profile: Profile): Promise<string | undefined> {
  const connection = await readConnectionOf(profile);
  assertUsable(connection, profile.name);
  return connection.password;
}
