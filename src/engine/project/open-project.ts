/**
 * Open a project folder: read its knexfile and turn each environment into a profile. Profiles
 * never hold the password: they point back at the knexfile (`source`, `passwordSource:
 * 'knexfile'`) and `resolveKnexfileTarget` re-reads it when connecting, so environment variables
 * are read then, not when the folder was opened.
 */
import { createHash } from 'node:crypto';
import { basename, dirname, extname, resolve } from 'node:path';
import type { Environment, MigrationSettings, Profile } from '../../shared/profile';
import { StepstoneError } from '../errors';
import { type KnexfileConnection, readKnexfileConnection, unsetVariablesIn } from './knexfile-connection';
import { type RawKnexConfig, findKnexfile, readKnexfile } from './read-knexfile';

/** What opening a project found: profiles that can be used, and why others were left out or need attention. */
export interface OpenedProject {
  knexfile: string;
  /** `single`: one config for every environment (the knex CLI uses it whatever the environment). */
  shape: 'environments' | 'single';
  profiles: Profile[];
  /** Plain sentences, one per thing the user should know (skipped environments, unset variables…). */
  warnings: string[];
}

/** Knex clients that talk to PostgreSQL through `pg` (names and aliases Knex accepts). */
const POSTGRES_CLIENTS = new Set(['pg', 'postgres', 'postgresql', 'pgnative']);

/** The environment tag an environment's name implies: production/prod, staging/stage, local; anything else is development. */
export function environmentTagOf(env: string): Environment {
  const words = env.toLowerCase().split(/[^a-z0-9]+/);
  if (words.some((w) => w === 'production' || w === 'prod')) return 'production';
  if (words.some((w) => w === 'staging' || w === 'stage')) return 'staging';
  if (words.includes('local')) return 'local';
  return 'development';
}

/** A profile id that stays the same each time the same knexfile's environment is opened. */
export function projectProfileId(knexfile: string, env: string): string {
  return `project:${createHash('sha1').update(resolve(knexfile)).digest('hex').slice(0, 16)}:${env}`;
}

function stringList(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  return undefined;
}

const extensionOf = (extension: string | undefined) => (extension ? { extension } : {});

/** The extension knex migrate:make writes when `migrations.extension` is unset: the knexfile's own (a JavaScript project gets .js). */
function knexfileExtension(knexfile: string): string | undefined {
  const ext = extname(knexfile).slice(1).toLowerCase();
  return ['ts', 'js', 'mjs', 'cjs'].includes(ext) ? ext : undefined;
}

/** `migrations` of a Knex config → Stepstone's settings, folders resolved from the knexfile's folder. */
function migrationSettingsOf(config: RawKnexConfig, knexfile: string, env: string, warnings: string[]): MigrationSettings {
  const folder = dirname(knexfile);
  const m = (typeof config.migrations === 'object' && config.migrations !== null ? config.migrations : {}) as Record<string, unknown>;
  const directories = (stringList(m.directory) ?? ['./migrations']).map((d) => resolve(folder, d));
  if (m.migrationSource) {
    warnings.push(`${env} uses a custom migrationSource; Stepstone reads the files in ${directories.join(', ')} instead.`);
  }
  const loadExtensions = stringList(m.loadExtensions);
  return {
    directories,
    tableName: typeof m.tableName === 'string' && m.tableName ? m.tableName : 'knex_migrations',
    ...(typeof m.schemaName === 'string' && m.schemaName ? { schemaName: m.schemaName } : {}),
    ...(loadExtensions ? { loadExtensions } : {}),
    ...(typeof m.sortDirsSeparately === 'boolean' ? { sortDirsSeparately: m.sortDirsSeparately } : {}),
    ...(typeof m.extension === 'string' && m.extension ? { extension: m.extension } : extensionOf(knexfileExtension(knexfile))),
  };
}

/** Why a config's client is not one Stepstone drives, or undefined when it is PostgreSQL. */
function unsupportedClient(config: RawKnexConfig): string | undefined {
  const client = config.client ?? config.dialect;
  if (typeof client === 'string') return POSTGRES_CLIENTS.has(client.toLowerCase()) ? undefined : `client "${client}"`;
  if (client === undefined) return 'no client';
  return 'a custom client class';
}

/**
 * Read the knexfile in a folder (or the knexfile named) and make one profile per PostgreSQL
 * environment. Environments with another client are skipped with a warning (UNSUPPORTED_CLIENT
 * is thrown only when none is left); environments whose connection cannot be read now (an unset
 * variable) are still listed, with the reason in `warnings`, and fail with CONFIG_INVALID on use.
 * `disableTransactions: true` maps to one transaction per migration (Stepstone's closest mode).
 */
export async function openProject(pathToFolderOrKnexfile: string, env: NodeJS.ProcessEnv = process.env): Promise<OpenedProject> {
  const knexfile = await findKnexfile(pathToFolderOrKnexfile);
  const contents = await readKnexfile(knexfile);
  const folder = dirname(knexfile);
  const folderName = basename(folder);
  const unset = unsetVariablesIn(contents.source, env);
  const warnings: string[] = [];
  const profiles: Profile[] = [];
  const skipped: string[] = [];
  for (const { env, config } of contents.environments) {
    const notSupported = unsupportedClient(config);
    if (notSupported) {
      skipped.push(`${env} (${notSupported})`);
      warnings.push(`${env} is skipped: it uses ${notSupported}; Stepstone manages PostgreSQL (client "pg") only.`);
      continue;
    }
    const connection: KnexfileConnection = await readKnexfileConnection(config.connection, env, unset);
    if (connection.problem) warnings.push(connection.problem);
    for (const note of connection.notes) warnings.push(`${env}: ${note}.`);
    profiles.push({
      id: projectProfileId(knexfile, env),
      name: contents.shape === 'single' ? folderName : `${folderName} · ${env}`,
      environment: environmentTagOf(env),
      kind: 'postgres',
      ...connection.fields,
      passwordSource: 'knexfile',
      migrations: migrationSettingsOf(config, knexfile, env, warnings),
      transactionMode: (config.migrations as { disableTransactions?: unknown } | undefined)?.disableTransactions === true ? 'per-migration' : 'knex',
      backupBeforeMigrate: true,
      readOnly: false,
      source: { knexfile, env },
    });
  }
  if (profiles.length === 0) {
    throw new StepstoneError('UNSUPPORTED_CLIENT', `The knexfile ${knexfile} has no PostgreSQL environment: ${skipped.join(', ')}.`, {
      hint: 'Stepstone manages PostgreSQL databases: use client "pg" in the environments it should manage.',
    });
  }
  return { knexfile, shape: contents.shape, profiles, warnings };
}
