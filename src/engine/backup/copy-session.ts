/**
 * Session settings every backup, restore and fingerprint connection uses, so COPY's text form is
 * the same on both sides (hashes compare) and reads back exactly (floats, timestamps, bytea).
 */
import type pg from 'pg';
import type { ConnectionTarget } from '../connection/connection-target';
import { connectOptions, pgConfigOf } from '../connection/connection-target';
import type { EngineContext } from '../engine-context';
import { connectClient } from '../connection/pg-client';

/** Statements run first on every connection that reads or writes COPY text. */
export const COPY_SESSION_SETTINGS = [
  // Empty search_path: every name PostgreSQL prints (regclass values, defaults) is schema-qualified.
  "select pg_catalog.set_config('search_path', '', false)",
  "set client_encoding = 'UTF8'",
  "set datestyle = 'ISO, YMD'",
  "set intervalstyle = 'postgres'",
  "set timezone = 'UTC'",
  // Shortest exact float output on 12+, full precision before.
  'set extra_float_digits = 3',
  "set bytea_output = 'hex'",
  'set standard_conforming_strings = on',
  // A role's own timeouts must not cut a long COPY short (pg_dump does the same).
  'set statement_timeout = 0',
  'set idle_in_transaction_session_timeout = 0',
];

/** A connected `pg` client with the COPY session settings applied. */
export async function openCopySession(target: ConnectionTarget, context: EngineContext, operation: string, database?: string): Promise<pg.Client> {
  const config = pgConfigOf(target, connectOptions(context, operation));
  // Guarded: a terminated session fails the COPY it runs instead of crashing the process.
  const client = await connectClient(database ? { ...config, database } : config);
  try {
    // One round trip for all of them (a simple query may hold several statements): every backup,
    // restore and status look opens such a session, and ten round trips added up.
    await client.query(COPY_SESSION_SETTINGS.join(';\n'));
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return client;
}

/** Ends a client, ignoring errors (used on cleanup paths). */
export async function closeQuietly(client: pg.Client | undefined): Promise<void> {
  if (client) await client.end().catch(() => undefined);
}

/** The server's version number and text, e.g. 150020 and "15.20". */
export async function readServerVersion(client: pg.Client): Promise<{ num: number; text: string }> {
  const { rows } = await client.query<{ num: string; text: string }>(
    "select current_setting('server_version_num') as num, current_setting('server_version') as text",
  );
  return { num: Number(rows[0].num), text: rows[0].text.split(' ')[0] };
}
