/**
 * Throwaway databases on the server of a connection: created empty from template0 with the source
 * database's encoding and locale, marked with a comment saying Stepstone owns them, and dropped
 * afterwards — on success, on failure and on Ctrl-C/SIGTERM. Shared by the dry run's scratch copy
 * and the shadow databases of baseline, stamp, generate, check and verify.
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { Socket } from 'node:net';
import type pg from 'pg';
import { closeQuietly, openCopySession } from '../backup/copy-session';
import { lossOf } from '../connection/pg-client';
import { quoteIdent, quoteLiteral } from '../schema/sql-quoting';
import { dropDatabaseQuietly } from '../backup/scratch-database';
import { type ConnectionTarget, connectOptions, connectionFields, resolvePgConfig, retargetDatabase } from '../connection/connection-target';
import { type EngineContext, createEngineContext } from '../engine-context';
import { messageOf } from '../errors';
import { SHADOW_MARKER, createMarkedDatabase, dropStaleDatabases } from './leftover-databases';

export { SHADOW_MARKER };

export interface TemporaryDatabase {
  /** The database's name on the server. */
  name: string;
  /** The same server and credentials, pointed at this database. */
  target: ConnectionTarget;
  knex: Knex;
  /**
   * Closes the connections and drops the database (WITH (FORCE)); never throws. With `background`,
   * resolves once DROP DATABASE is on its way to the server instead of when it is done (see
   * `sendDrop`): the caller answers without waiting for the checkpoint the server makes for it.
   */
  drop(options?: { background?: boolean }): Promise<void>;
}

/** Why no temporary database can be had here, in words for the user. */
export class TemporaryDatabaseUnavailable extends Error {
  constructor(
    message: string,
    /** True when the cause is the missing CREATEDB privilege. */
    readonly missingPrivilege = false,
  ) {
    super(message);
  }
}

export interface TemporaryDatabaseOptions {
  /** Name prefix, e.g. `stepstone_shadow` (a random suffix follows). */
  prefix: string;
  /** What it is for, in the comment and the connections' application_name (e.g. "generate"). */
  purpose: string;
  /** Extra `pg` client settings (e.g. `statement_timeout` for previews). */
  clientConfig?: Record<string, unknown>;
  /** Connections in the pool (default 2). */
  poolMax?: number;
  /** Cleanup problems (a database that could not be dropped). */
  onLog?: (message: string) => void;
  /** The engine's identity, clock and memos (a fresh context when a test calls this directly). */
  context?: EngineContext;
}

const MISSING_PRIVILEGE = 'the database user lacks the CREATEDB privilege needed for a temporary database';

/** Null when the target's user may create databases, else the reason it cannot (embedded: no server). */
export async function temporaryDatabaseUnavailableReason(knex: Knex, embedded: boolean): Promise<string | null> {
  if (embedded) return 'the embedded database has no server to create a temporary database on';
  const res = await knex.raw('select rolcreatedb or rolsuper as ok from pg_catalog.pg_roles where rolname = current_user');
  return res.rows[0]?.ok ? null : MISSING_PRIVILEGE;
}

/** The comment written on a database Stepstone creates: who made it, for what, and that it may go. */
export function markerComment(purpose: string, context: EngineContext = createEngineContext()): string {
  const { pid, host } = context.identity;
  return `${SHADOW_MARKER} (${purpose}, pid ${pid} on ${host}, ${context.now().toISOString()}): Stepstone drops or empties it; safe to drop.`;
}

/** CREATE DATABASE <prefix>_<random> on the target's server and a small Knex pool on it. */
export async function createTemporaryDatabase(target: ConnectionTarget, options: TemporaryDatabaseOptions): Promise<TemporaryDatabase> {
  const name = `${options.prefix}_${randomBytes(6).toString('hex')}`;
  const context = options.context ?? createEngineContext();
  // Registered before CREATE DATABASE is sent: an interrupt at any point still drops it ("if exists").
  let knex: Knex | undefined;
  let admin: pg.Client | undefined;
  const dropNow = async () => {
    await closeQuietly(admin); // kept open to drop it (below): never left holding the process open
    await knex?.destroy().catch(() => undefined);
    await dropDatabaseQuietly(target, name, options.onLog, context);
  };
  const done = context.interrupts.add(dropNow);
  admin = await openAdminSession(target, context, options.purpose).catch((error: unknown) => {
    done();
    throw new TemporaryDatabaseUnavailable(`could not connect to create a temporary database: ${messageOf(error)}`);
  });
  let serverVersion: number;
  let versionText: string;
  try {
    const { rows } = await admin.query<{ enc: string; coll: string; ctype: string; version: string; text: string }>(
      `select pg_catalog.pg_encoding_to_char(encoding) as enc, datcollate as coll, datctype as ctype,
              current_setting('server_version_num') as version, current_setting('server_version') as text
         from pg_catalog.pg_database where datname = $1`,
      [connectionFields(target).database],
    );
    const { enc, coll, ctype } = rows[0];
    serverVersion = Number(rows[0].version);
    versionText = rows[0].text.split(' ')[0];
    // This session later drops the database and may be left by a command-line run while the server
    // still does (sendDrop): a server set to check for vanished clients must not cut that drop short.
    if (serverVersion >= 140000) await admin.query('set client_connection_check_interval = 0');
    // Those a killed run left (no cleanup ran) go first: one mechanism for scratch, shadow, verify and restore databases.
    // One a command-line dry run left for the server to drop (sendDrop) is not waited for.
    await dropStaleDatabases(admin, context.identity, options.onLog, { leaveBeingDropped: true });
    await createMarkedDatabase(
      admin,
      context.identity,
      name,
      `template template0 encoding ${quoteLiteral(enc)} lc_collate ${quoteLiteral(coll)} lc_ctype ${quoteLiteral(ctype)}`,
      markerComment(options.purpose, context),
    );
  } catch (error) {
    await closeQuietly(admin);
    await dropNow();
    done();
    const denied = (error as { code?: string }).code === '42501';
    throw new TemporaryDatabaseUnavailable(denied ? MISSING_PRIVILEGE : `could not create a temporary database: ${messageOf(error)}`, denied);
  }
  // The session that created it stays open (idle) to drop it: no new connection and session
  // set-up at the end, when the caller is waiting for its answer.
  const retargeted = retargetDatabase(target, name);
  try {
    const config = { ...(await resolvePgConfig(retargeted, connectOptions(context, `${options.purpose} shadow`))), ...options.clientConfig };
    const { default: knexFactory } = await import('knex');
    // The server's version given: Knex does not ask for it on the first connection (as it would, `select version()`).
    knex = knexFactory({ client: 'pg', version: versionText, connection: config as Knex.PgConnectionConfig, pool: { min: 0, max: options.poolMax ?? 2 } });
    await knex.raw('select 1');
  } catch (error) {
    await closeQuietly(admin);
    await dropNow();
    done();
    throw new TemporaryDatabaseUnavailable(`could not connect to the temporary database: ${messageOf(error)}`);
  }
  const sql = `drop database if exists ${quoteIdent(name)}${serverVersion >= 130000 ? ' with (force)' : ''}`;
  let dropped = false;
  return {
    name,
    target: retargeted,
    knex,
    async drop({ background = false } = {}) {
      if (dropped) return;
      dropped = true;
      await knex?.destroy().catch(() => undefined);
      // The creating session lost (terminated meanwhile): a new one drops it, as on an interrupt.
      const dropping = lossOf(admin) === undefined ? sendDrop(admin, sql, { letProcessEnd: background }) : { sent: Promise.resolve(), finished: dropNow().then(() => true) };
      const finished = dropping.finished.then(async (ok) => {
        if (!ok) await dropDatabaseQuietly(target, name, options.onLog, context);
        await closeQuietly(admin);
        done();
      });
      await (background ? dropping.sent : finished);
    },
  };
}

/**
 * The session that creates a temporary database and later drops it. It connects to a maintenance
 * database, as createdb and dropdb do (postgres, else template1), not to the target: a drop the
 * server finishes after a command-line run has ended (sendDrop) must not be cut short by the
 * target's own DROP DATABASE … WITH (FORCE) — a CI job or a benchmark dropping it right after the
 * dry run, which left the scratch copy for the next run to sweep. The target when neither is open to us.
 */
async function openAdminSession(target: ConnectionTarget, context: EngineContext, purpose: string): Promise<pg.Client> {
  const own = connectionFields(target).database;
  for (const database of MAINTENANCE_DATABASES) {
    if (database === own) break;
    try {
      return await openCopySession(target, context, purpose, database);
    } catch {
      // Not there, or not ours to connect to: the next, then the target.
    }
  }
  return openCopySession(target, context, purpose);
}

const MAINTENANCE_DATABASES = ['postgres', 'template1'];

/**
 * Sends DROP DATABASE on `admin` and tells when it is on its way (`sent`: the statement handed to
 * the operating system) and when the server answered (`finished`: true when it was dropped).
 *
 * With `letProcessEnd`, the socket stops holding the process open once the statement is sent: a command-line run that
 * has printed its answer may end while the server is still dropping (DROP DATABASE waits for a
 * checkpoint of the whole cluster, on a busy server seconds). That is safe: the server does not
 * notice a client gone until it next reads or writes to it (client_connection_check_interval is
 * off in this session), and it commits the drop before it writes the answer. Should
 * the drop fail anyway (the server stopped meanwhile), the database keeps its marker naming a
 * process that is gone: it is a stale leftover, listed by `status` and dropped by the next run that
 * creates a temporary database, by `backups` and by `restore --cleanup` (leftover-databases.ts).
 */
function sendDrop(admin: pg.Client, sql: string, { letProcessEnd }: { letProcessEnd: boolean }): { sent: Promise<void>; finished: Promise<boolean> } {
  const finished = admin.query(sql).then(
    () => true,
    () => false,
  );
  const socket = (admin as unknown as { connection?: { stream?: Socket } }).connection?.stream;
  const sent = new Promise<void>((resolve) => {
    if (!socket || socket.writableLength === 0) resolve();
    else socket.once('drain', () => resolve());
    void finished.then(() => resolve());
  }).then(() => {
    // Only when the caller will not wait for the answer: a waiting caller with nothing else open
    // would otherwise see the process end (exit 0) in the middle of its await.
    if (letProcessEnd) socket?.unref?.();
  });
  return { sent, finished };
}
