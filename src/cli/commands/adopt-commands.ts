/** `stepstone baseline`, `stamp` and `generate`: adopt a database, and migrations written from schema changes. */
import type { DesiredSource } from '../../shared/adopt';
import { baselineDatabase, databaseNameOf, generateMigration, openDatabase, stampMigrations, type Db } from '../../engine';
import { StepstoneError } from '../../engine/errors';
import { confirm } from '../confirm';
import { dim } from '../format';
import { formatBaseline, formatGenerate, formatStamp } from '../format-adopt';
import { note, printJson, printLine } from '../output';
import type { ParsedCommand } from '../parse-args';
import { resolveCliMigrations, resolveCliTarget } from '../resolve-cli-target';
import type { CliOptions } from '../option-catalog';

/** Progress goes to stderr (stdout stays the result). */
function progress(options: CliOptions): (message: string) => void {
  return options.json ? () => {} : (message) => note(dim(`… ${message}`));
}

/** Writes need --yes without a terminal: refused before any work. */
function requireConfirmable(options: CliOptions, what: string): void {
  if (!options.yes && !process.stdin.isTTY) {
    throw new StepstoneError('CONFIRMATION_REQUIRED', `${what} records migrations as applied and needs a confirmation, but there is no terminal to ask.`, {
      hint: 'Pass --yes to run it.',
    });
  }
}

function language(options: CliOptions): 'ts' | 'js' | undefined {
  if (options.language && !['ts', 'js'].includes(options.language)) throw new StepstoneError('INVALID_INPUT', '--language must be ts or js.');
  return options.js || options.language === 'js' ? 'js' : options.language === 'ts' ? 'ts' : undefined;
}

async function withDb<T>(options: CliOptions, operation: string, fn: (db: Db) => Promise<T>): Promise<T> {
  const target = await resolveCliTarget(options);
  const db = await openDatabase(target, { operation });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

export async function baselineCommand({ options }: ParsedCommand): Promise<number> {
  requireConfirmable(options, 'baseline');
  return withDb(options, 'baseline', async (db) => {
    const database = databaseNameOf(db.target);
    const result = await baselineDatabase(db, {
      name: options.name,
      force: options.force,
      shadowUrl: options.shadow,
      onProgress: progress(options),
      onLog: note,
      beforeWrite: async (preview) => {
        if (!options.yes && !options.json) note(formatBaseline({ ...preview, status: 'not-written' }).split('\n').slice(0, -3).join('\n'));
        await confirm(`Write ${preview.name} and record it as applied to ${database}? (its schema and data are not changed)`, { yes: options.yes });
      },
    });
    if (options.json) printJson(result);
    else printLine(formatBaseline(result));
    return result.status === 'stamped' ? 0 : 1;
  });
}

export async function stampCommand({ options, positionals }: ParsedCommand): Promise<number> {
  const to = positionals[0];
  if (to !== undefined && options.head) throw new StepstoneError('INVALID_INPUT', 'Give either a migration name or --head, not both.');
  if (to === undefined && !options.head) {
    throw new StepstoneError('INVALID_INPUT', 'Name the last migration to mark as applied, or --head for all of them.', { hint: 'e.g. stepstone stamp 20240101000000_users, or stepstone stamp --head' });
  }
  requireConfirmable(options, 'stamp');
  return withDb(options, 'stamp', async (db) => {
    const database = databaseNameOf(db.target);
    const result = await stampMigrations(db, {
      to: to ?? null,
      force: options.force,
      shadowUrl: options.shadow,
      onProgress: progress(options),
      onLog: note,
      beforeWrite: async (preview) => {
        await confirm(`Record ${preview.migrations.length} migration${preview.migrations.length === 1 ? '' : 's'} as applied to ${database} without running ${preview.migrations.length === 1 ? 'it' : 'them'}?`, {
          yes: options.yes,
        });
      },
    });
    if (options.json) printJson(result);
    else printLine(formatStamp(result, database));
    return result.status === 'refused' ? 1 : 0;
  });
}

/** The one desired source `--from`, `--from-file` or `--from-drift` names; INVALID_INPUT for none or several. */
export function desiredSourceOf(options: CliOptions, allowDrift: boolean): DesiredSource | undefined {
  const given = [options.from !== undefined, options['from-file'] !== undefined, options['from-drift'] === true].filter(Boolean).length;
  const forms = allowDrift ? '--from <url>, --from-file <schema.sql> or --from-drift' : '--from <url> or --from-file <schema.sql>';
  if (given > 1) throw new StepstoneError('INVALID_INPUT', `Give one of ${forms}, not several.`);
  if (options.from !== undefined) return { kind: 'url', url: options.from };
  if (options['from-file'] !== undefined) return { kind: 'file', path: options['from-file'] };
  if (options['from-drift']) return { kind: 'drift' };
  return undefined;
}

/** The target database when one is named (or found); null when only a reference is given. */
export async function optionalDb(options: CliOptions, operation: string): Promise<Db | null> {
  const named = options.db || options.knexfile || process.env.DATABASE_URL;
  try {
    return await openDatabase(await resolveCliTarget(options), { operation });
  } catch (error) {
    if (!named && error instanceof StepstoneError && error.code === 'CONFIG_INVALID') return null;
    throw error;
  }
}

export async function generateCommand({ options, positionals }: ParsedCommand): Promise<number> {
  const name = positionals.join(' ').trim();
  if (!name) throw new StepstoneError('INVALID_INPUT', 'Name the migration: stepstone generate <name> --from <url>.', { hint: 'e.g. stepstone generate add_phone --from postgres://localhost/app_dev' });
  const source = desiredSourceOf(options, true);
  if (!source) throw new StepstoneError('INVALID_INPUT', 'Say where the desired schema is: --from <url>, --from-file <schema.sql> or --from-drift.');
  const lang = language(options);
  const db = await optionalDb(options, 'generate');
  try {
    const settings = db?.settings ?? (await resolveCliMigrations(options));
    const result = await generateMigration(
      { db, settings },
      { name, source, renames: options.rename ?? [], force: options.force, shadowUrl: options.shadow, language: lang, onProgress: progress(options), onLog: note },
    );
    if (options.json) printJson(result);
    else printLine(formatGenerate(result));
    return result.status === 'not-written' ? 1 : 0;
  } finally {
    await db?.close();
  }
}
