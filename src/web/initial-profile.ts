/**
 * The profile web mode opens first when started with `--db` or `--knexfile`: transient (never
 * saved), its password (from the URL) kept in memory only.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Profile } from '../shared/contract';
import { StepstoneError } from '../engine/errors';
import { parsePostgresUrl } from '../engine/connection/connection-target';
import type { EnginePort } from '../service/engine-port';
import { splitUrlPassword } from '../service/url-password';
import type { InitialProfile } from '../service/service-deps';
import type { WebModeOptions } from './web-mode-options';

export const COMMAND_LINE_PROFILE_ID = 'command-line';

/** The profile for `--db <url> --migrations <folder>`. */
export function profileFromUrl(url: string, migrations: string | undefined, cwd: string): InitialProfile {
  const fields = parsePostgresUrl(url); // URL_MALFORMED with the reason when it is not a postgres URL
  const folder = resolve(cwd, migrations ?? 'migrations');
  if (!existsSync(folder)) {
    throw new StepstoneError('MIGRATIONS_DIR_MISSING', `The migrations folder ${folder} does not exist.`, {
      hint: migrations ? 'Check the --migrations path.' : 'Give the folder of the migration files with --migrations <folder>.',
    });
  }
  const split = splitUrlPassword({
    id: COMMAND_LINE_PROFILE_ID,
    name: `${fields.database} (command line)`,
    environment: 'development',
    kind: 'postgres',
    url,
    passwordSource: 'none',
    migrations: { directories: [folder], tableName: 'knex_migrations' },
    transactionMode: 'knex',
    // Backups before migrating are on by default, as for every server profile.
    backupBeforeMigrate: true,
    readOnly: false,
  });
  return { profile: split.profile, password: split.password };
}

/** The profile for `--knexfile <file> [--env <name>]`: the named environment, else development, else the only one. */
export async function profileFromKnexfile(engine: EnginePort, knexfile: string, env: string | undefined, cwd: string): Promise<InitialProfile> {
  const { profiles } = await engine.openProject(resolve(cwd, knexfile));
  const wanted = env ?? 'development';
  const found = profiles.find((p) => p.source?.env === wanted) ?? (env === undefined && profiles.length === 1 ? profiles[0] : undefined);
  if (!found) {
    throw new StepstoneError('ENVIRONMENT_NOT_FOUND', `The knexfile has no PostgreSQL environment "${wanted}".`, {
      hint: `Pick one with --env: ${profiles.map((p) => p.source?.env ?? p.name).join(', ')}.`,
    });
  }
  return { profile: found as Profile };
}

/** The initial profile the flags ask for, if any. */
export async function initialProfileOf(options: WebModeOptions, engine: EnginePort, cwd: string): Promise<InitialProfile | undefined> {
  if (options.db) return profileFromUrl(options.db, options.migrations, cwd);
  if (options.knexfile) return profileFromKnexfile(engine, options.knexfile, options.env, cwd);
  return undefined;
}
