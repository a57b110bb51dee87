/**
 * `new` and `init` (Alembic's revision and init): a migration file from a template named as
 * `knex migrate:make` names it, and a project skeleton that never overwrites anything.
 */
import { constants, existsSync, readFileSync, readdirSync } from 'node:fs';
import { access, mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { CreatedMigration } from '../../shared/migration';
import type { MigrationSettings } from '../../shared/profile';
import { StepstoneError } from '../errors';

/** Knex's `yyyyMMddHHmmss` prefix, in UTC. */
export function timestampPrefix(now: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getUTCFullYear()}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}`;
}

/**
 * The prefix of a new migration in `directory`: now's, or one second after the newest file's when
 * that is not earlier (two files written in one second, or a clock behind the folder's last one).
 * Knex runs files in name order, so a new migration must sort after every one already there: a
 * generated migration named before its baseline would run first and fail.
 */
export function nextTimestampPrefix(now: Date, directory: string): string {
  let newest: string | null = null;
  try {
    for (const name of readdirSync(directory)) {
      const prefix = /^(\d{14})_/.exec(name)?.[1];
      if (prefix && (newest === null || prefix > newest)) newest = prefix;
    }
  } catch {
    // No folder yet: nothing to come after.
  }
  const own = timestampPrefix(now);
  if (newest === null || own > newest) return own;
  const [, y, mo, d, h, mi, se] = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(newest)!.map(Number);
  return timestampPrefix(new Date(Date.UTC(y, mo - 1, d, h, mi, se) + 1000));
}

/** "Add email to Users!" → "add_email_to_users". */
export function slugOf(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (!slug) {
    throw new StepstoneError('INVALID_INPUT', `"${name}" has no letters or digits to name a migration with.`, {
      hint: 'Describe the change, e.g. `stepstone new add_email_to_users`.',
    });
  }
  return slug.slice(0, 100);
}

const TEMPLATES = {
  ts: `import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // await knex.schema.alterTable('table', (t) => { ... });
}

export async function down(knex: Knex): Promise<void> {
  // Reverse exactly what up() did.
}
`,
  js: `/**
 * @param { import("knex").Knex } knex
 */
exports.up = async function up(knex) {
  // await knex.schema.alterTable('table', (t) => { ... });
};

/**
 * @param { import("knex").Knex } knex
 */
exports.down = async function down(knex) {
  // Reverse exactly what up() did.
};
`,
  mjs: `/**
 * @param { import("knex").Knex } knex
 */
export async function up(knex) {
  // await knex.schema.alterTable('table', (t) => { ... });
}

/**
 * @param { import("knex").Knex } knex
 */
export async function down(knex) {
  // Reverse exactly what up() did.
}
`,
};

/** The "type" of the package.json nearest to `folder` (Node's rule for .js files), or null when there is none or it cannot be read. */
export function nearestPackageType(folder: string): 'module' | 'commonjs' | null {
  for (let dir = resolve(folder); ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      try {
        const type = (JSON.parse(readFileSync(file, 'utf8')) as { type?: unknown }).type;
        return type === 'module' ? 'module' : 'commonjs';
      } catch {
        return null;
      }
    }
    if (dirname(dir) === dir) return null;
  }
}

/** File extension → template, for the extensions a knexfile's `migrations.extension` may name. */
const TEMPLATE_OF: Record<string, keyof typeof TEMPLATES> = { ts: 'ts', js: 'js', cjs: 'js', mjs: 'mjs' };

/** The file extension and template `new` uses: the language asked for, else the knexfile's `migrations.extension` (as `knex migrate:make`), else TypeScript. */
export function migrationFileKind(settings: MigrationSettings, language?: 'ts' | 'js'): { extension: string; template: keyof typeof TEMPLATES } {
  return fileKindOf(settings, language);
}

function fileKindOf(settings: MigrationSettings, language: 'ts' | 'js' | undefined): { extension: string; template: keyof typeof TEMPLATES } {
  if (language) return { extension: language, template: language };
  if (!settings.extension) return { extension: 'ts', template: 'ts' };
  // Knex's migrate:make names the file with the part before a dash ('js-schema' → .js).
  const extension = settings.extension.toLowerCase().split('-')[0];
  const template = TEMPLATE_OF[extension];
  if (!template) {
    throw new StepstoneError('INVALID_INPUT', `The knexfile's migrations.extension is "${settings.extension}"; Stepstone writes .ts, .js, .cjs or .mjs migrations.`, {
      hint: 'Ask for a language explicitly (--js, or --language ts|js).',
    });
  }
  return { extension, template };
}

/** The folder, or its nearest existing ancestor, must be a folder: a file in the way is named (not mkdir's EEXIST/ENOTDIR). */
async function assertFolderPath(root: string): Promise<void> {
  for (let path = root; ; path = dirname(path)) {
    const found = await stat(path).catch(() => null);
    if (found) {
      if (found.isDirectory()) return;
      throw new StepstoneError('FILE_EXISTS', `Nothing was created: ${path} is a file, not a folder.`, {
        hint: path === root ? 'Give init a folder (or a path to create), e.g. stepstone init my-project.' : `${root} would be inside that file; choose another place.`,
      });
    }
    if (dirname(path) === path) return;
  }
}

async function exists(path: string): Promise<boolean> {
  return access(path, constants.F_OK).then(
    () => true,
    () => false,
  );
}

/** Create `<timestamp>_<slug>.<ext>` in the first migrations folder (see `fileKindOf` for the extension). */
export async function createMigration(
  settings: MigrationSettings,
  name: string,
  options: { language?: 'ts' | 'js'; now?: Date } = {},
): Promise<CreatedMigration> {
  const kind = fileKindOf(settings, options.language);
  const { extension } = kind;
  const directory = resolve(settings.directories[0]);
  // A .js file in a "type": "module" package is an ES module: exports.up would not load there.
  const template = kind.template === 'js' && extension === 'js' && nearestPackageType(directory) === 'module' ? 'mjs' : kind.template;
  if (!(await exists(directory))) {
    throw new StepstoneError('MIGRATIONS_DIR_MISSING', `The migrations folder ${directory} does not exist.`, {
      hint: 'Create it with `stepstone init`, or point --migrations at the right folder.',
    });
  }
  const fileName = `${nextTimestampPrefix(options.now ?? new Date(), directory)}_${slugOf(name)}.${extension}`;
  const path = join(directory, fileName);
  try {
    await writeFile(path, TEMPLATES[template], { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new StepstoneError('MIGRATION_EXISTS', `${path} already exists.`, { hint: 'Wait a second or choose another name.' });
    }
    throw new StepstoneError('FILE_EXISTS', `Could not write ${path}: ${(error as Error).message}`, { cause: error });
  }
  return { name: fileName, path };
}

const KNEXFILE = `import type { Knex } from 'knex';

// Each environment reads its connection from the environment, never from this file.
const migrations = { directory: './migrations', extension: 'ts', tableName: 'knex_migrations' };

const config: Record<string, Knex.Config> = {
  development: { client: 'pg', connection: process.env.DATABASE_URL, migrations },
  staging: { client: 'pg', connection: process.env.STAGING_DATABASE_URL, migrations },
  production: { client: 'pg', connection: process.env.PRODUCTION_DATABASE_URL, migrations },
};

export default config;
`;

/** Create `migrations/` and `knexfile.ts` in `folder`; refuses to overwrite either. */
export async function initProject(folder: string): Promise<{ created: string[] }> {
  const root = resolve(folder);
  await assertFolderPath(root);
  const migrationsDir = join(root, 'migrations');
  const knexfiles = ['knexfile.ts', 'knexfile.js', 'knexfile.cjs', 'knexfile.mjs'].map((f) => join(root, f));
  const existing = [];
  for (const path of [migrationsDir, ...knexfiles]) if (await exists(path)) existing.push(path);
  if (existing.length) {
    throw new StepstoneError('FILE_EXISTS', `Nothing was created: ${existing.join(', ')} already exist${existing.length === 1 ? 's' : ''}.`, {
      hint: 'init never overwrites anything; this folder is already a Knex project.',
    });
  }
  await mkdir(root, { recursive: true });
  await mkdir(migrationsDir);
  await writeFile(knexfiles[0], KNEXFILE, { flag: 'wx' });
  return { created: [migrationsDir, knexfiles[0]] };
}
