/**
 * Where a restore "into another database" lands: a database name, or a URL on the target's own
 * server. The database may not exist yet (it is created), exist empty, or hold something, which a
 * restore only replaces when asked to (the caller confirms it, knowing what is dropped).
 */
import type pg from 'pg';
import { connectionFields, databaseNameOf, describeTarget, parsePostgresUrl, type ConnectionTarget } from '../connection/connection-target';
import { type EngineContext, createEngineContext } from '../engine-context';
import { StepstoneError } from '../errors';
import { closeQuietly, openCopySession } from './copy-session';
import { checkDatabaseName } from './database-name';
import { dropStaleDatabases } from '../shadow/leftover-databases';

/** What an existing database holds, outside PostgreSQL's own schemas and extensions. */
export interface DatabaseContents {
  /** Tables, views, sequences…, as schema.name. */
  relations: string[];
  /** User schemas other than public (with or without anything in them). */
  schemas: string[];
  /** Functions, procedures and types outside extensions. */
  otherObjects: number;
  largeObjects: number;
  /** One line for messages: "public.precious, side.notes; schema side". */
  summary: string;
}

export interface RestoreDestination {
  database: string;
  exists: boolean;
  /** What a restore would drop; null when the database does not exist or holds nothing. */
  contents: DatabaseContents | null;
}

const isUrl = (text: string) => /^postgres(ql)?:\/\//i.test(text);

/** The database `into` names (a name, or a URL on the target's server), checked. */
export function restoreDatabaseName(target: ConnectionTarget, into: string): string {
  let name = into;
  if (isUrl(into)) {
    const wanted = parsePostgresUrl(into);
    const own = connectionFields(target);
    if (wanted.host !== own.host || wanted.port !== own.port || wanted.user !== own.user) {
      throw new StepstoneError('INVALID_INPUT', `The database to restore into must be on the same server as ${describeTarget(target)}, reached as the same user; the URL names ${wanted.user}@${wanted.host}:${wanted.port}.`, {
        hint: 'Give a database name (or a URL) on the same server; to restore elsewhere, run the restore with that server as the target.',
      });
    }
    name = wanted.database;
  }
  checkDatabaseName(name);
  if (name === databaseNameOf(target)) {
    throw new StepstoneError('INVALID_INPUT', `"${name}" is the database itself, not another one.`, {
      hint: 'To restore over the database itself, restore in place (stepstone restore <id> without --into), which asks for confirmation.',
    });
  }
  return name;
}

/** Whether the database `into` names exists, and what it holds. */
export async function describeRestoreDestination(target: ConnectionTarget, into: string, context: EngineContext = createEngineContext()): Promise<RestoreDestination> {
  const database = restoreDatabaseName(target, into);
  const admin = await openCopySession(target, context, 'restore');
  let exists: boolean;
  try {
    // A database a killed restore left under this name (marked, its creator gone) is not the user's: it goes first.
    await dropStaleDatabases(admin, context.identity, (m) => context.log('warn', m));
    exists = (await admin.query('select 1 from pg_catalog.pg_database where datname = $1', [database])).rowCount! > 0;
  } finally {
    await closeQuietly(admin);
  }
  if (!exists) return { database, exists, contents: null };
  const client = await openCopySession(target, context, 'restore', database);
  try {
    const contents = await readContents(client);
    return { database, exists, contents: isEmpty(contents) ? null : contents };
  } finally {
    await closeQuietly(client);
  }
}

/** Refuses a destination that holds something, naming it and what it holds, unless replacing was asked for. */
export function assertReplaceable(destination: RestoreDestination, replaceExisting: boolean): void {
  if (!destination.contents || replaceExisting) return;
  throw new StepstoneError('DATABASE_NOT_EMPTY', `The database "${destination.database}" already exists and is not empty: ${destination.contents.summary}. Nothing was changed.`, {
    hint: 'Restore into a new name, or replace its contents on purpose (stepstone restore <id> --into <db> --replace drops all of the above first).',
  });
}

function isEmpty(c: DatabaseContents): boolean {
  return c.relations.length === 0 && c.schemas.length === 0 && c.otherObjects === 0 && c.largeObjects === 0;
}

// User schemas: not PostgreSQL's own, not created by an extension. Members of extensions are not counted.
const USER_SCHEMAS = `n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'
  and not exists (select 1 from pg_catalog.pg_depend d where d.classid = 'pg_catalog.pg_namespace'::regclass and d.objid = n.oid and d.deptype = 'e')`;
const notExtensionMember = (catalog: string, alias: string) =>
  `not exists (select 1 from pg_catalog.pg_depend d where d.classid = '${catalog}'::regclass and d.objid = ${alias}.oid and d.deptype = 'e')`;

async function readContents(client: pg.Client): Promise<DatabaseContents> {
  const relations = await client.query<{ name: string }>(
    `select pg_catalog.format('%s.%s', n.nspname, c.relname) as name from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
     where ${USER_SCHEMAS} and c.relkind in ('r', 'p', 'v', 'm', 'f', 'S') and ${notExtensionMember('pg_catalog.pg_class', 'c')}
       and not (c.relkind = 'S' and exists (select 1 from pg_catalog.pg_depend d where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = c.oid and d.deptype in ('a', 'i')))
     order by 1`,
  );
  const schemas = await client.query<{ name: string }>(`select n.nspname as name from pg_catalog.pg_namespace n where ${USER_SCHEMAS} and n.nspname <> 'public' order by 1`);
  const others = await client.query<{ n: string }>(
    `select (select count(*) from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace where ${USER_SCHEMAS} and ${notExtensionMember('pg_catalog.pg_proc', 'p')})
          + (select count(*) from pg_catalog.pg_type t join pg_catalog.pg_namespace n on n.oid = t.typnamespace
             where ${USER_SCHEMAS} and t.typtype in ('e', 'd', 'r', 'm') and ${notExtensionMember('pg_catalog.pg_type', 't')}) as n`,
  );
  const largeObjects = await client.query<{ n: string }>('select count(*) as n from pg_catalog.pg_largeobject_metadata');
  const contents = {
    relations: relations.rows.map((r) => r.name),
    schemas: schemas.rows.map((r) => r.name),
    otherObjects: Number(others.rows[0].n),
    largeObjects: Number(largeObjects.rows[0].n),
  };
  return { ...contents, summary: summarize(contents) };
}

function summarize(c: Omit<DatabaseContents, 'summary'>): string {
  const parts: string[] = [];
  if (c.relations.length) {
    const shown = c.relations.slice(0, 8).join(', ');
    parts.push(c.relations.length > 8 ? `${c.relations.length} tables, views and sequences (${shown}, …)` : shown);
  }
  if (c.schemas.length) parts.push(`schema${c.schemas.length > 1 ? 's' : ''} ${c.schemas.join(', ')}`);
  if (c.otherObjects) parts.push(`${c.otherObjects} function${c.otherObjects > 1 ? 's' : ''} or type${c.otherObjects > 1 ? 's' : ''}`);
  if (c.largeObjects) parts.push(`${c.largeObjects} large object${c.largeObjects > 1 ? 's' : ''}`);
  return parts.join('; ');
}
