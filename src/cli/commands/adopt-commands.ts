/** `stepstone baseline`, `stamp` and `generate`: adopt a database, and migrations written from schema changes. */
import type { DesiredSource } from '../../shared/adopt';
import { type ConnectionTarget, type DbSession, type Engine, StepstoneError } from '../../engine';
import { cliEngine } from '../cli-engine';
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

async function withDb<T>(options: CliOptions, operation: string, fn: (engine: Engine, db: DbSession, target: ConnectionTarget) => Promise<T>): Promise<T> {
  const engine = cliEngine();
  const target = await resolveCliTarget(engine, options);
  const db = await engine.openDatabase(target, { operation });
  try {
    return await fn(engine, db, target);
  } finally {
    await db.close();
  }
}

export async function baselineCommand({ options }: ParsedCommand): Promise<number> {
  requireConfirmable(options, 'baseline');
  return withDb(options, 'baseline', async (engine, db, target) => {
    const database = engine.databaseNameOf(target);
    const result = await engine.baselineDatabase(db, {
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
  return withDb(options, 'stamp', async (engine, db, target) => {
    const database = engine.databaseNameOf(target);
    const result = await engine.stampMigrations(db, {
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

/** A session on the target database and its migration settings; no session when only a reference is given. */
export interface OptionalDb {
  db: DbSession | null;
  settings: ConnectionTarget['profile']['migrations'];
}

/** The target database when one is named (or found); null when only a reference is given. */
export async function optionalDb(engine: Engine, options: CliOptions, operation: string): Promise<OptionalDb> {
  const named = options.db || options.knexfile || process.env.DATABASE_URL;
  try {
    const target = await resolveCliTarget(engine, options);
    return { db: await engine.openDatabase(target, { operation }), settings: target.profile.migrations };
  } catch (error) {
    if (!named && error instanceof StepstoneError && error.code === 'CONFIG_INVALID') return { db: null, settings: await resolveCliMigrations(engine, options) };
    throw error;
  }
}

export async function generateCommand({ options, positionals }: ParsedCommand): Promise<number> {
  const name = positionals.join(' ').trim();
  if (!name) throw new StepstoneError('INVALID_INPUT', 'Name the migration: stepstone generate <name> --from <url>.', { hint: 'e.g. stepstone generate add_phone --from postgres://localhost/app_dev' });
  const source = desiredSourceOf(options, true);
  if (!source) throw new StepstoneError('INVALID_INPUT', 'Say where the desired schema is: --from <url>, --from-file <schema.sql> or --from-drift.');
  const lang = language(options);
  const engine = cliEngine();
  const { db, settings } = await optionalDb(engine, options, 'generate');
  try {
    const result = await engine.generateMigration(
      db,
      settings,
      { name, source, renames: options.rename ?? [], force: options.force, shadowUrl: options.shadow, language: lang, onProgress: progress(options), onLog: note },
    );
    if (options.json) printJson(result);
    else printLine(formatGenerate(result));
    return result.status === 'not-written' ? 1 : 0;
  } finally {
    await db?.close();
  }
}
