/** Creating and dropping whole databases on the target's server (restore into a new database, verify's scratch copy). */
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { ConnectionTarget } from '../connection/connection-target';
import { type EngineContext, createEngineContext } from '../engine-context';
import { StepstoneError, messageOf } from '../errors';
import { closeQuietly, openCopySession } from './copy-session';
import { quoteIdent, quoteLiteral } from '../schema/sql-quoting';
import { checkDatabaseName } from './database-name';
import { createMarkedDatabase, dropStaleDatabases } from '../shadow/leftover-databases';

/** A fresh name for verify's scratch database. */
export function scratchDatabaseName(): string {
  return `stepstone_verify_${randomBytes(6).toString('hex')}`;
}

/** CREATE DATABASE from template0 (empty), with the given encoding or the target database's. */
export async function createEmptyDatabase(target: ConnectionTarget, context: EngineContext, name: string, encoding?: string, marker?: string): Promise<void> {
  checkDatabaseName(name);
  const client = await openCopySession(target, context, 'restore');
  try {
    // Databases a killed restore, verify or dry run left behind go first (their creator is gone).
    await dropStaleDatabases(client, context.identity, (m) => context.log('warn', m));
    const enc =
      encoding ??
      (await client.query<{ e: string }>('select pg_catalog.pg_encoding_to_char(encoding) as e from pg_catalog.pg_database where datname = current_database()')).rows[0].e;
    const clauses = `template template0 encoding ${quoteLiteral(enc)}`;
    // Marked until the restore completes (then cleared): a killed one leaves a database the next run recognises and drops.
    if (marker) await createMarkedDatabase(client, context.identity, name, clauses, marker);
    else await client.query(`create database ${quoteIdent(name)} ${clauses}`);
  } catch (error) {
    const exists = (error as { code?: string }).code === '42P04';
    throw new StepstoneError('RESTORE_FAILED', exists ? `The database "${name}" already exists.` : `Could not create the database "${name}": ${messageOf(error)}`, {
      hint: exists ? 'Restore into a new name, or restore into the existing database itself.' : 'The user needs the CREATEDB privilege to restore into a new database.',
      cause: error,
    });
  } finally {
    await closeQuietly(client);
  }
}

/** DROP DATABASE (forcing other sessions off where the server allows it); errors are reported, not thrown. */
export async function dropDatabaseQuietly(target: ConnectionTarget, name: string, onLog?: (message: string) => void, context: EngineContext = createEngineContext()): Promise<void> {
  let client;
  try {
    client = await openCopySession(target, context, 'restore');
    const num = Number((await client.query<{ v: string }>("select current_setting('server_version_num') as v")).rows[0].v);
    await client.query(`drop database if exists ${quoteIdent(name)}${num >= 130000 ? ' with (force)' : ''}`);
  } catch (error) {
    const message = `Could not drop the database "${name}": ${messageOf(error)}. Drop it by hand.`;
    if (onLog) onLog(message);
    else context.log('warn', message);
  } finally {
    await closeQuietly(client);
  }
}

/** Clears the marker of a database whose restore completed: it is the user's now. */
export async function unmarkDatabase(target: ConnectionTarget, context: EngineContext, name: string): Promise<void> {
  const client = await openCopySession(target, context, 'restore');
  try {
    await clearMarker(client, name);
  } finally {
    await closeQuietly(client);
  }
}

/** The same on a connection already open to any database of the server (the restored one's own included). */
export async function clearMarker(client: Pick<pg.Client, 'query'>, name: string): Promise<void> {
  await client.query(`comment on database ${quoteIdent(name)} is null`);
}
