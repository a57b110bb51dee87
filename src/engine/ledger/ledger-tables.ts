/**
 * Knex's ledger tables and Stepstone's own, by name. Knex's are created exactly as Knex's
 * migrator creates them, so the knex CLI and Stepstone can take turns on one database.
 */
import type { Knex } from 'knex';
import type { MigrationSettings } from '../../shared/profile';
import { type SqlSource, readerOf } from '../database/sql-reader';
import { StepstoneError } from '../errors';
import { qualify, quoteIdent } from '../schema/sql-quoting';

export interface LedgerNames {
  schema: string | undefined;
  /** Knex's ledger, e.g. knex_migrations. */
  migrations: string;
  /** Knex's lock row table, `${migrations}_lock`. */
  lock: string;
  /** Stepstone's record of applied files: checksum, duration, who. */
  applied: string;
  /** Stepstone's append-only audit log. */
  history: string;
  /** Schema snapshots after each operation, for drift detection. */
  snapshots: string;
  /** What each run did: SQL per migration, the files' text, the log, the schema change. */
  evidence: string;
  /** Start and end of every non-transactional migration, written outside any transaction: an interrupted one is found by its open row. */
  nonTransactional: string;
}

/** PostgreSQL keeps 63 bytes of a name; Knex's lock table adds `_lock` to the ledger's. */
const MAX_NAME_BYTES = 63;
const LOCK_SUFFIX = '_lock';

/** Why `name` cannot name the ledger table (or its schema), or null when it can. */
export function ledgerNameProblem(name: string, kind: 'table' | 'schema'): string | null {
  if (name === '') return 'it is empty';
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'it holds a control character';
  // Knex reads "a.b" as schema a, table b; Stepstone would quote it whole: the two would disagree.
  if (name.includes('.')) return `it holds "." (Knex reads a dot as schema.table)${kind === 'table' ? '; give the schema with its own setting (--schema-name, migrations.schemaName)' : ''}`;
  const max = kind === 'table' ? MAX_NAME_BYTES - LOCK_SUFFIX.length : MAX_NAME_BYTES;
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > max) return `it is ${bytes} bytes long, at most ${max}${kind === 'table' ? ` (its lock table, <name>${LOCK_SUFFIX}, must fit PostgreSQL's ${MAX_NAME_BYTES})` : ''}`;
  return null;
}

export function ledgerNames(settings: MigrationSettings): LedgerNames {
  const migrations = settings.tableName ?? 'knex_migrations';
  for (const [name, kind] of [[migrations, 'table'], [settings.schemaName, 'schema']] as const) {
    const problem = name === undefined ? null : ledgerNameProblem(name, kind);
    if (problem) {
      throw new StepstoneError('CONFIG_INVALID', `The migrations ${kind} name "${name}" cannot be used: ${problem}.`, {
        hint: `Fix migrations.${kind === 'table' ? 'tableName' : 'schemaName'} in the knexfile or the connection's settings.`,
      });
    }
  }
  return {
    schema: settings.schemaName,
    migrations,
    lock: `${migrations}_lock`,
    applied: 'stepstone_migrations',
    history: 'stepstone_history',
    snapshots: 'stepstone_schema_snapshots',
    evidence: 'stepstone_run_evidence',
    nonTransactional: 'stepstone_nontransactional_runs',
  };
}

/** `"schema"."table"` or `"table"`, for raw SQL. */
export function qualified(names: LedgerNames, table: string): string {
  return names.schema ? qualify(names.schema, table) : quoteIdent(table);
}

/** `"schema"."table"` as text for to_regclass(), quoted as Knex quotes it (a `"` doubled). */
export function regclassName(names: LedgerNames, table: string): string {
  return qualified(names, table);
}

/** The ledger tables of `names`, as `introspectSchema`'s `excludeTables` wants them (they are not the user's schema). */
export function ledgerTableExclusions(names: LedgerNames): string[] {
  const tables = [names.migrations, names.lock, names.applied, names.history, names.snapshots, names.evidence, names.nonTransactional];
  return tables.map((t) => (names.schema ? `${names.schema}.${t}` : t));
}

/** Which of the given tables exist, in one query. */
export async function existingTables(db: SqlSource, names: LedgerNames, tables: string[]): Promise<Set<string>> {
  const rows = await readerOf(db).query<{ present: boolean }>(
    `select to_regclass(t) is not null as present from unnest(?::text[]) with ordinality as u(t, n) order by n`,
    [tables.map((t) => regclassName(names, t))],
  );
  return new Set(tables.filter((_, i) => rows[i].present));
}

function schemaBuilder(db: Knex, names: LedgerNames): Knex.SchemaBuilder {
  return names.schema ? db.schema.withSchema(names.schema) : db.schema;
}

/** Stepstone's history table, when missing (a restore in place also runs it inside its own transaction). */
export function historyTableSql(names: LedgerNames): string {
  return `create table if not exists ${qualified(names, names.history)} (
       id bigserial primary key,
       operation text not null,
       outcome text not null,
       os_user text not null,
       host text not null,
       started_at timestamptz not null,
       duration_ms integer not null,
       head_before text,
       head_after text,
       plan jsonb,
       steps jsonb not null default '[]',
       error jsonb,
       details jsonb
     )`;
}

/**
 * Create Knex's tables (as Knex does) and Stepstone's, when missing. Only write operations call this.
 * `only: 'applied'`: Knex's tables and the applied-migrations table alone, what a step's ledger write
 * needs (a dry run's scratch copy, which keeps no history, snapshots or evidence).
 */
export async function ensureLedgerTables(db: Knex, names: LedgerNames, options: { only?: 'applied' } = {}): Promise<void> {
  const all = [names.migrations, names.lock, names.applied, names.history, names.snapshots, names.evidence, names.nonTransactional];
  const wanted = options.only === 'applied' ? all.slice(0, 3) : all;
  const present = await existingTables(db, names, wanted);
  const missing = new Set(wanted.filter((t) => !present.has(t)));
  // Knex re-creates a missing lock row on every run; so does this, in one statement.
  const ensureLockRow = () => db.raw(`insert into ${qualified(names, names.lock)} (is_locked) select 0 where not exists (select 1 from ${qualified(names, names.lock)})`);
  if (missing.size === 0) {
    await ensureLockRow(); // the common case: two round trips in all
    return;
  }
  if (names.schema) await db.raw('create schema if not exists ??', [names.schema]);
  if (missing.has(names.migrations)) {
    await schemaBuilder(db, names).createTable(names.migrations, (t) => {
      t.increments();
      t.string('name');
      t.integer('batch');
      t.timestamp('migration_time');
    });
  }
  if (missing.has(names.lock)) {
    await schemaBuilder(db, names).createTable(names.lock, (t) => {
      t.increments('index').primary();
      t.integer('is_locked');
    });
  }
  await ensureLockRow();
  await db.raw(
    `create table if not exists ${qualified(names, names.applied)} (
       name varchar(255) primary key,
       checksum char(64) not null,
       applied_at timestamptz not null default now(),
       duration_ms integer,
       applied_by text,
       stamped boolean not null default false
     )`,
  );
  if (options.only === 'applied') return;
  await db.raw(historyTableSql(names));
  await db.raw(
    `create table if not exists ${qualified(names, names.snapshots)} (
       id bigserial primary key,
       recorded_at timestamptz not null default now(),
       head text,
       history_id bigint,
       -- gzip of the SchemaSnapshot JSON: large schemas store in a fraction of jsonb's time
       snapshot_gz bytea not null
     )`,
  );
  await db.raw(
    `create table if not exists ${qualified(names, names.evidence)} (
       history_id bigint primary key,
       recorded_at timestamptz not null default now(),
       -- gzip of {steps, log, schemaChange, schemaChangeNote}: SQL and sources of long runs store in a fraction of jsonb's size
       evidence_gz bytea not null
     )`,
  );
  await db.raw(
    `create table if not exists ${qualified(names, names.nonTransactional)} (
       id bigserial primary key,
       name varchar(255) not null,
       direction text not null,
       batch integer,
       checksum char(64),
       started_at timestamptz not null default now(),
       -- who: user@host pid N, and the run's connections' application_name (a statement still running is found by it)
       run_by text not null,
       application_name text,
       -- the backend of the run's advisory-lock session: gone means the run is gone
       holder_pid integer,
       -- the SQL the migration was to send, rendered without a database before it ran (null: could not be)
       statements jsonb,
       ended_at timestamptz,
       -- null while running; succeeded, failed, repaired-retry, repaired-complete
       outcome text,
       error text
     )`,
  );
}
