/**
 * Finding and evaluating a project's knexfile the way the knex CLI does: default export or
 * `module.exports`, a function (possibly async) returning the config, and either an object of
 * environments or one config used for every environment.
 */
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { StepstoneError, isStepstoneError, messageOf } from '../errors';
import { folderScope } from '../modules/folder-scope';
import { loadUserModule } from '../modules/load-user-module';

/**
 * Names looked for in a folder, first match wins. Knex's CLI looks for .js, .mjs, then .ts (then
 * .coffee/.eg/.ls, which Stepstone cannot load), so a folder holding both knexfile.js and
 * knexfile.ts opens the .js one, as `knex migrate` would. The .cjs/.mts/.cts names, which the knex
 * CLI does not look for, come last.
 */
export const KNEXFILE_NAMES = ['knexfile.js', 'knexfile.mjs', 'knexfile.ts', 'knexfile.cjs', 'knexfile.mts', 'knexfile.cts'];

/** One environment's Knex config as the knexfile gives it (unvalidated). */
export type RawKnexConfig = Record<string, unknown>;

export interface KnexfileContents {
  /** `environments`: keys are environment names; `single`: one config for every environment. */
  shape: 'environments' | 'single';
  environments: { env: string; config: RawKnexConfig }[];
  /** Top-level keys that are not configs (e.g. an exported helper), ignored. */
  ignoredKeys: string[];
  /** The knexfile's text, for messages that name the environment variables it reads. */
  source: string;
}

async function kindOf(path: string): Promise<'file' | 'folder' | 'missing'> {
  try {
    const info = await stat(path);
    return info.isDirectory() ? 'folder' : 'file';
  } catch {
    return 'missing';
  }
}

/** The knexfile a folder (or a path naming the file itself) designates; KNEXFILE_NOT_FOUND if none. */
export async function findKnexfile(pathToFolderOrKnexfile: string): Promise<string> {
  const path = resolve(pathToFolderOrKnexfile);
  const kind = await kindOf(path);
  if (kind === 'file') return path;
  if (kind === 'missing') {
    throw new StepstoneError('KNEXFILE_NOT_FOUND', `No such folder or file: ${path}.`, {
      hint: 'Choose the project folder that holds the knexfile (or the knexfile itself).',
    });
  }
  for (const name of KNEXFILE_NAMES) {
    const candidate = join(path, name);
    if ((await kindOf(candidate)) === 'file') return candidate;
  }
  throw new StepstoneError('KNEXFILE_NOT_FOUND', `No knexfile in ${path} — create one with \`stepstone init\`.`, {
    hint: `Stepstone looks for ${KNEXFILE_NAMES.join(', ')}.`,
  });
}

/** The knexfile the knex CLI would use from `start`: the first of its names in that folder or the nearest parent. */
export function findKnexfileUpward(start: string): string | undefined {
  for (let folder = resolve(start); ; folder = dirname(folder)) {
    const found = KNEXFILE_NAMES.map((f) => join(folder, f)).find((f) => existsSync(f));
    if (found || dirname(folder) === folder) return found;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A config is recognised by the keys Knex itself needs at the top of one. */
function looksLikeConfig(value: Record<string, unknown>): boolean {
  return 'client' in value || 'connection' in value || 'dialect' in value;
}

/**
 * Run the knexfile as the knex CLI runs it after its chdir to the knexfile's folder: relative
 * paths, `process.cwd()` and `dotenv` start from that folder. No `process.chdir`: the knexfile gets
 * its own view of the working folder (folder-scope.ts), so nothing else in the process moves.
 */
async function evaluateInFolder(knexfile: string, source: string): Promise<unknown> {
  const exports = await loadUserModule(knexfile, source, folderScope(dirname(knexfile)));
  // Knex's CLI: `if (config && config.default) config = config.default`, then call it if a function.
  let config: unknown = exports && (exports as { default?: unknown }).default ? (exports as { default: unknown }).default : exports;
  if (typeof config === 'function') config = await (config as () => unknown)();
  return config;
}

/** Evaluate a knexfile and split it into environments; KNEXFILE_INVALID when it throws or exports nothing usable. */
export async function readKnexfile(knexfile: string): Promise<KnexfileContents> {
  const { readFile } = await import('node:fs/promises');
  let source: string;
  try {
    source = await readFile(knexfile, 'utf8');
  } catch (error) {
    throw new StepstoneError('KNEXFILE_NOT_FOUND', `Cannot read the knexfile ${knexfile}: ${messageOf(error)}`, { cause: error });
  }
  let config: unknown;
  try {
    config = await evaluateInFolder(knexfile, source);
  } catch (error) {
    const message = isStepstoneError(error) ? error.message.replace(/^Could not load [^:]+: /, '') : messageOf(error);
    throw new StepstoneError('KNEXFILE_INVALID', `The knexfile ${basename(knexfile)} failed to load: ${message}`, {
      hint: `Fix the error in ${knexfile} (it must run under Node as \`knex\` would run it).`,
      cause: error,
    });
  }
  if (!isPlainObject(config)) {
    throw new StepstoneError('KNEXFILE_INVALID', `The knexfile ${knexfile} exports ${describe(config)}, not a Knex configuration.`, {
      hint: 'Export (module.exports or export default) an object of environments, e.g. { development: { client: "pg", connection: "postgres://…" } }.',
    });
  }
  if (looksLikeConfig(config)) {
    return { shape: 'single', environments: [{ env: 'development', config }], ignoredKeys: [], source };
  }
  const environments: KnexfileContents['environments'] = [];
  const ignoredKeys: string[] = [];
  for (const [env, value] of Object.entries(config)) {
    if (env === '__esModule') continue;
    if (isPlainObject(value) && looksLikeConfig(value)) environments.push({ env, config: value });
    else ignoredKeys.push(env);
  }
  if (environments.length === 0) {
    throw new StepstoneError('KNEXFILE_INVALID', `The knexfile ${knexfile} has no environment with a Knex configuration.`, {
      hint: 'Each environment needs at least `client` and `connection`, e.g. development: { client: "pg", connection: process.env.DATABASE_URL }.',
    });
  }
  return { shape: 'environments', environments, ignoredKeys, source };
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
