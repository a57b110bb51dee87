/**
 * Which database and migrations a CLI command works on: `--db <url>`, or `--knexfile <file> --env <name>`,
 * or a knexfile in the current folder or a parent (as the knex CLI finds it), or DATABASE_URL.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Environment, Profile } from '../shared/domain';
import type { ConnectionTarget } from '../engine/connection/connection-target';
import { parsePostgresUrl } from '../engine/connection/connection-target';
import { StepstoneError, isStepstoneError } from '../engine/errors';
import { note } from './output';
import { KNEXFILE_NAMES } from '../engine/project/read-knexfile';
import { ledgerNameProblem } from '../engine/ledger/ledger-tables';
import type { CliOptions } from './parse-args';

/** The knexfile the knex CLI would use: the first name (in its order) in the working folder or the nearest parent. */
function findKnexfileUpward(start: string = process.cwd()): string | undefined {
  for (let folder = resolve(start); ; folder = dirname(folder)) {
    const found = KNEXFILE_NAMES.map((f) => join(folder, f)).find((f) => existsSync(f));
    if (found || dirname(folder) === folder) return found;
  }
}

const ENVIRONMENTS: Environment[] = ['local', 'development', 'staging', 'production'];

/** --table-name and --schema-name must be names Knex and PostgreSQL read the same way; a usage error (exit 2) otherwise. */
function checkLedgerOptions(options: CliOptions): void {
  for (const [option, kind] of [['table-name', 'table'], ['schema-name', 'schema']] as const) {
    const value = options[option];
    const problem = value === undefined ? null : ledgerNameProblem(value, kind);
    if (problem) throw new StepstoneError('INVALID_INPUT', `--${option} "${value}" cannot be used: ${problem}.`, { hint: 'e.g. --table-name app_migrations --schema-name ops (the ledger is then ops.app_migrations).' });
  }
}

function migrationSettings(options: CliOptions, fallback?: Profile['migrations']): Profile['migrations'] {
  checkLedgerOptions(options);
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
  let flat = false;
  if (!profile && project.profiles.length === 1) {
    // A knexfile holding one config (no environments) serves every environment, as with the knex CLI.
    const { readKnexfile } = await import('../engine/project/read-knexfile');
    flat = (await readKnexfile(project.knexfile)).shape === 'single';
    if (flat) profile = project.profiles[0];
  }
  // --env naming a section the knexfile does not have: say so, whatever happens next.
  const flatNote = flat && options.env !== undefined ? `The knexfile ${path} has one configuration for every environment (no "${envName}" section), so --env ${envName} chooses nothing.` : null;
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
  try {
    const target = await resolveKnexfileTarget(adjusted);
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
