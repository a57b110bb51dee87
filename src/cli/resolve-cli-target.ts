/**
 * Which database and migrations a CLI command works on: `--db <url>`, or `--knexfile <file> --env <name>`,
 * or a knexfile in the current folder or a parent (as the knex CLI finds it), or DATABASE_URL.
 */
import { resolve } from 'node:path';
import type { Environment, Profile } from '../shared/profile';
import { ENVIRONMENTS } from '../shared/enums';
import { type ConnectionTarget, type Engine, StepstoneError, isStepstoneError } from '../engine';
import { note } from './output';
import type { CliOptions } from './parse-args';

/** --table-name and --schema-name must be names Knex and PostgreSQL read the same way; a usage error (exit 2) otherwise. */
function checkLedgerOptions(engine: Engine, options: CliOptions): void {
  for (const [option, kind] of [['table-name', 'table'], ['schema-name', 'schema']] as const) {
    const value = options[option];
    const problem = value === undefined ? null : engine.ledgerNameProblem(value, kind);
    if (problem) throw new StepstoneError('INVALID_INPUT', `--${option} "${value}" cannot be used: ${problem}.`, { hint: 'e.g. --table-name app_migrations --schema-name ops (the ledger is then ops.app_migrations).' });
  }
}

function migrationSettings(engine: Engine, options: CliOptions, fallback?: Profile['migrations']): Profile['migrations'] {
  checkLedgerOptions(engine, options);
  const directories = options.migrations?.map((d) => resolve(d)) ?? fallback?.directories ?? [resolve('migrations')];
  return {
    ...fallback,
    directories,
    tableName: options['table-name'] ?? fallback?.tableName ?? 'knex_migrations',
    ...(options['schema-name'] ? { schemaName: options['schema-name'] } : {}),
  };
}

function isEnvironment(value: string | undefined): value is Environment {
  return (ENVIRONMENTS as readonly (string | undefined)[]).includes(value);
}

function fromUrl(engine: Engine, url: string, options: CliOptions): ConnectionTarget {
  engine.parseDatabaseUrl(url); // malformed URLs fail here, before anything else
  const environment: Environment = options.production ? 'production' : isEnvironment(options.env) ? options.env : 'development';
  return {
    profile: {
      id: 'cli',
      name: 'command line',
      environment,
      kind: 'postgres',
      url,
      passwordSource: 'none',
      migrations: migrationSettings(engine, options),
      transactionMode: options['per-migration'] ? 'per-migration' : 'knex',
      backupBeforeMigrate: true,
      readOnly: false,
    },
  };
}

async function fromKnexfile(engine: Engine, path: string, options: CliOptions): Promise<ConnectionTarget> {
  const project = await engine.openProject(path);
  const envName = options.env ?? process.env.NODE_ENV ?? 'development';
  let profile = project.profiles.find((p) => p.source?.env === envName);
  // A knexfile holding one config (no environments) serves every environment, as with the knex CLI.
  const flat = !profile && project.shape === 'single';
  if (flat) profile = project.profiles[0];
  // --env naming a section the knexfile does not have: say so, whatever happens next.
  const flatNote = flat && options.env !== undefined ? `The knexfile ${path} has one configuration for every environment (no "${envName}" section), so --env ${envName} chooses nothing.` : null;
  if (!profile) {
    throw new StepstoneError('ENVIRONMENT_NOT_FOUND', `The knexfile ${path} has no environment "${envName}".`, {
      hint: `Choose one of: ${project.profiles.map((p) => p.source?.env).join(', ') || '(none)'} with --env.`,
    });
  }
  const adjusted: Profile = {
    ...profile,
    migrations: options.migrations || options['table-name'] || options['schema-name'] ? migrationSettings(engine, options, profile.migrations) : profile.migrations,
    transactionMode: options['per-migration'] ? 'per-migration' : profile.transactionMode,
    environment: options.production ? 'production' : profile.environment,
  };
  try {
    // The knexfile is read again as the connection is resolved: its variables and password are those of now.
    const target = await engine.resolveTarget(adjusted, {});
    if (flatNote) note(`${flatNote} Using it, as the knex CLI does.`);
    return target;
  } catch (error) {
    if (!flatNote || !isStepstoneError(error)) throw error;
    throw new StepstoneError(error.code, `${error.message} ${flatNote}`, {
      hint: `Set what the knexfile reads, or give it a ${envName} section: module.exports = { ${envName}: { client: 'pg', connection: … } }.`,
    });
  }
}

/** Resolve the target, or explain how to name one. */
export async function resolveCliTarget(engine: Engine, options: CliOptions): Promise<ConnectionTarget> {
  if (options.db && options.knexfile) {
    throw new StepstoneError('INVALID_INPUT', 'Pass either --db or --knexfile, not both.');
  }
  if (options.db) return fromUrl(engine, options.db, options);
  if (options.knexfile) return fromKnexfile(engine, resolve(options.knexfile), options);
  const local = await engine.findKnexfileUpward(process.cwd());
  if (local) return fromKnexfile(engine, local, options);
  if (process.env.DATABASE_URL) return fromUrl(engine, process.env.DATABASE_URL, options);
  throw new StepstoneError('CONFIG_INVALID', 'No database to work on.', {
    hint: 'Pass --db postgres://user@host:5432/db (with --migrations <dir>), or --knexfile <file> --env <name>, or run from a folder with a knexfile.',
  });
}

/** Migration settings alone, for commands that need no database (new). */
export async function resolveCliMigrations(engine: Engine, options: CliOptions): Promise<Profile['migrations']> {
  if (options.migrations) return migrationSettings(engine, options);
  if (options.db || options.knexfile || (await engine.findKnexfileUpward(process.cwd()))) {
    try {
      return (await resolveCliTarget(engine, options)).profile.migrations;
    } catch (error) {
      if (options.db || options.knexfile) throw error;
    }
  }
  return migrationSettings(engine, options);
}
