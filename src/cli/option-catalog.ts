/**
 * Every option the CLI knows, once: its type, how help shows it, and the knex CLI's spellings of it.
 * Which command takes which option is said by the command tables (`command-table.ts`), from the groups below.
 */

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** May be repeated; the values are collected in order. */
  multiple?: boolean;
  /** A one-letter form, e.g. `-y`. */
  short?: string;
  /** The value's placeholder in help, e.g. `<url>`. */
  value?: string;
  /** One line for help (a command may say it its own way). */
  description: string;
  /** Other spellings accepted for it (the knex CLI's), e.g. `migrations-directory`. */
  aliases?: readonly string[];
}

export const OPTIONS = {
  db: { type: 'string', value: '<url>', description: 'postgres://user@host:5432/database; keep the password in PGPASSWORD or ~/.pgpass', aliases: ['connection'] },
  knexfile: { type: 'string', value: '<file>', description: 'a knexfile (default: knexfile.js or .ts here or in the nearest parent)' },
  env: { type: 'string', value: '<name>', description: "the knexfile's environment (default NODE_ENV or development)" },
  cwd: { type: 'string', value: '<dir>', description: 'work from this folder (knexfile discovery, relative paths)' },
  migrations: { type: 'string', multiple: true, value: '<dir>', description: 'the migrations folder (default ./migrations; repeat for several)', aliases: ['migrations-directory'] },
  'table-name': { type: 'string', value: '<name>', description: "Knex's ledger table (default knex_migrations)", aliases: ['migrations-table-name'] },
  'schema-name': { type: 'string', value: '<name>', description: "the schema of Knex's ledger table (default public)" },
  production: { type: 'boolean', description: 'treat the database as production (typed confirmations, backups always on)' },
  home: { type: 'string', value: '<dir>', description: "Stepstone's data folder (default STEPSTONE_HOME or the user-data folder)" },
  json: { type: 'boolean', description: 'print one JSON document on stdout' },
  help: { type: 'boolean', short: 'h', description: "show this command's options" },
  yes: { type: 'boolean', short: 'y', description: 'do not ask for confirmation (scripts, CI; without a terminal a write needs it)' },
  to: { type: 'string', value: '<name>', description: 'a migration (file name; the extension may be left out)' },
  step: { type: 'string', value: '<n>', description: 'a number of migrations' },
  all: { type: 'boolean', description: 'every applied migration' },
  'per-migration': { type: 'boolean', description: 'one transaction per migration instead of one for the whole plan' },
  'no-backup': { type: 'boolean', description: 'skip the automatic backup before the run (refused on production)' },
  method: { type: 'string', value: '<pg_dump|builtin>', description: 'how to back up (default: pg_dump when it suits the server, else built-in)' },
  'backups-dir': { type: 'string', value: '<dir>', description: "where backups go (default <home>/backups, or settings.json's backups.folder)" },
  keep: { type: 'string', value: '<n>', description: 'backups kept per database (default 20)' },
  action: { type: 'string', value: '<retry|complete>', description: 'the repair: retry (drop what it left; the next run runs it again) or complete (record it as done)' },
  force: { type: 'boolean', description: 'even when a live process holds the lock' },
  into: { type: 'string', value: '<db|url>', description: 'restore into another database on the same server (created when missing; refused when not empty)' },
  cleanup: { type: 'boolean', description: 'drop the databases killed restores, verifications and dry runs left, and remove partial backup files nobody writes' },
  replace: { type: 'boolean', description: 'with --into: drop what that database holds first (says what; asks, typed name on production)' },
  language: { type: 'string', short: 'x', value: '<ts|js>', description: "the migration's language (default: the knexfile's migrations.extension, else ts)" },
  js: { type: 'boolean', description: 'same as --language js' },
  operation: { type: 'string', value: '<op>', description: 'only this operation (upgrade, rollback, unlock, backup, restore, …)' },
  outcome: { type: 'string', value: '<outcome>', description: 'only this outcome (succeeded, failed, cancelled, …)' },
  limit: { type: 'string', value: '<n>', description: 'at most n entries' },
  shadow: { type: 'string', value: '<url>', description: 'an empty database to use as the shadow instead of a temporary one (needs no CREATEDB)' },
  rules: { type: 'boolean', description: 'list the lint rules (ids, what each catches) instead of linting' },
  name: { type: 'string', value: '<slug>', description: "the migration's name after its timestamp (default baseline)" },
  head: { type: 'boolean', description: 'every migration in the folder' },
  from: { type: 'string', value: '<url>', description: 'a reference database holding the desired schema (read only)' },
  'from-file': { type: 'string', value: '<schema.sql>', description: 'a SQL schema file (e.g. pg_dump --schema-only) holding the desired schema, run on a shadow database' },
  'from-drift': { type: 'boolean', description: "the live database's schema, with its changes made outside migrations" },
  rename: { type: 'string', multiple: true, value: '<old=new>', description: 'table.old_column=new_column or old_table=new_table: rename instead of drop and add (repeat for several)' },
} as const satisfies Record<string, OptionSpec>;

export type OptionName = keyof typeof OPTIONS;

type ValueOf<S extends OptionSpec> = S['type'] extends 'boolean' ? boolean : S extends { multiple: true } ? string[] : string;

/** Parsed option values by their canonical names (aliases already folded in). */
export type CliOptions = { -readonly [K in OptionName]?: ValueOf<(typeof OPTIONS)[K]> };

/** A command's options: `true` keeps the catalogue's description, a string says it for this command. */
export type CommandOptions = Partial<Record<OptionName, true | string>>;

/** Where the database and migrations are: every command that works on a database takes these. */
export const TARGET_OPTIONS = {
  db: true,
  knexfile: true,
  env: true,
  cwd: true,
  migrations: true,
  'table-name': true,
  'schema-name': true,
  production: true,
  home: true,
  json: true,
  help: true,
} as const satisfies CommandOptions;

/** Upgrade and rollback: confirmation, transaction mode and the backup taken before the run. */
export const RUN_OPTIONS = {
  yes: true,
  'per-migration': true,
  'no-backup': true,
  method: 'how the backup before the run is taken (default: pg_dump when it suits the server, else built-in)',
  'backups-dir': true,
  keep: true,
} as const satisfies CommandOptions;

/** Where the backups are. */
export const BACKUP_OPTIONS = { 'backups-dir': true } as const satisfies CommandOptions;

/** The option a spelling names: its canonical name, or undefined when no option is spelled so. */
export function canonicalOption(spelling: string): OptionName | undefined {
  if (spelling in OPTIONS) return spelling as OptionName;
  for (const [name, spec] of Object.entries(OPTIONS) as [OptionName, OptionSpec][]) {
    if (spec.aliases?.includes(spelling) || spec.short === spelling) return name;
  }
  return undefined;
}
