/**
 * Which database and migrations a CLI command works on: `--db <url>`, or `--knexfile <file> --env <name>`,
 * or a knexfile in the current folder or a parent (as the knex CLI finds it), or DATABASE_URL.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Environment, Profile } from '../shared/domain';
import type { ConnectionTarget } from '../engine/connection/connection-target';
import { parsePostgresUrl } from '../engine/connection/connection-target';
import { StepstoneError } from '../engine/errors';
import { KNEXFILE_NAMES } from '../engine/project/read-knexfile';
import type { CliOptions } from './parse-args';

/** The knexfile the knex CLI would use: the first name (in its order) in the working folder or the nearest parent. */
function findKnexfileUpward(start: string = process.cwd()): string | undefined {
  for (let folder = resolve(start); ; folder = dirname(folder)) {
    const found = KNEXFILE_NAMES.map((f) => join(folder, f)).find((f) => existsSync(f));
    if (found || dirname(folder) === folder) return found;
  }
}

const ENVIRONMENTS: Environment[] = ['local', 'development', 'staging', 'production'];

function migrationSettings(options: CliOptions, fallback?: Profile['migrations']): Profile['migrations'] {
  const directories = options.migrations?.map((d) => resolve(d)) ?? fallback?.directories ?? [resolve('migrations')];
  return {
    ...fallback,
    directories,
    tableName: options['table-name'] ?? fallback?.tableName ?? 'knex_migrations',
    ...(options['schema-name'] ? { schemaName: options['schema-name'] } : {}),
  };
}

function fromUrl(url: string, options: CliOptions): ConnectionTarget {
  parsePostgresUrl(url); // malformed URLs fail here, before anything else
  const environment: Environment = options.production ? 'production' : ENVIRONMENTS.includes(options.env as Environment) ? (options.env as Environment) : 'development';
  return {
    profile: {
      id: 'cli',
      name: 'command line',
      environment,
      kind: 'postgres',
      url,
      passwordSource: 'none',
      migrations: migrationSettings(options),
      transactionMode: options['per-migration'] ? 'per-migration' : 'knex',
      backupBeforeMigrate: true,
      readOnly: false,
    },
  };
}

async function fromKnexfile(path: string, options: CliOptions): Promise<ConnectionTarget> {
  const { openProject } = await import('../engine/project/open-project');
  const { resolveKnexfileTarget } = await import('../engine/project/knexfile-target');
  const project = await openProject(path);
  const envName = options.env ?? process.env.NODE_ENV ?? 'development';
  let profile = project.profiles.find((p) => p.source?.env === envName);
  if (!profile && project.profiles.length === 1) {
    // A knexfile holding one config (no environments) serves every environment, as with the knex CLI.
    const { readKnexfile } = await import('../engine/project/read-knexfile');
    if ((await readKnexfile(project.knexfile)).shape === 'single') profile = project.profiles[0];
  }
  if (!profile) {
    throw new StepstoneError('ENVIRONMENT_NOT_FOUND', `The knexfile ${path} has no environment "${envName}".`, {
      hint: `Choose one of: ${project.profiles.map((p) => p.source?.env).join(', ') || '(none)'} with --env.`,
    });
  }
  const adjusted: Profile = {
    ...profile,
    migrations: options.migrations || options['table-name'] || options['schema-name'] ? migrationSettings(options, profile.migrations) : profile.migrations,
    transactionMode: options['per-migration'] ? 'per-migration' : profile.transactionMode,
    environment: options.production ? 'production' : profile.environment,
  };
  return resolveKnexfileTarget(adjusted);
}

/** Resolve the target, or explain how to name one. */
export async function resolveCliTarget(options: CliOptions): Promise<ConnectionTarget> {
  if (options.db && options.knexfile) {
    throw new StepstoneError('INVALID_INPUT', 'Pass either --db or --knexfile, not both.');
  }
  if (options.db) return fromUrl(options.db, options);
  if (options.knexfile) return fromKnexfile(resolve(options.knexfile), options);
  const local = findKnexfileUpward();
  if (local) return fromKnexfile(local, options);
  if (process.env.DATABASE_URL) return fromUrl(process.env.DATABASE_URL, options);
  throw new StepstoneError('CONFIG_INVALID', 'No database to work on.', {
    hint: 'Pass --db postgres://user@host:5432/db (with --migrations <dir>), or --knexfile <file> --env <name>, or run from a folder with a knexfile.',
  });
}

/** Migration settings alone, for commands that need no database (new). */
export async function resolveCliMigrations(options: CliOptions): Promise<Profile['migrations']> {
  if (options.migrations) return migrationSettings(options);
  if (options.db || options.knexfile || findKnexfileUpward()) {
    try {
      return (await resolveCliTarget(options)).profile.migrations;
    } catch (error) {
      if (options.db || options.knexfile) throw error;
    }
  }
  return migrationSettings(options);
}
