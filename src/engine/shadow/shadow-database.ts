/**
 * The shadow database: an empty database where migrations (or a schema file) are applied to learn
 * the schema they produce, never the user's own database. Either a temporary database on the same
 * server as the database worked on (needs CREATEDB; dropped afterwards, also on failure and on
 * Ctrl-C/SIGTERM), one the user names with `--shadow <url>` (used only when empty or made by
 * Stepstone, emptied before and after), or, for the embedded demo, an in-memory PGlite.
 */
import type { Knex } from 'knex';
import { classifyConnectionError } from '../connection/classify-connection-error';
import { quoteIdent, quoteLiteral } from '../schema/sql-quoting';
import { type ConnectionTarget, connectOptions, createKnex, databaseNameOf, describeTarget, redactUrl } from '../connection/connection-target';
import { type EngineContext, createEngineContext } from '../engine-context';
import { sameDatabase, targetForUrl } from '../connection/url-target';
import { StepstoneError, messageOf } from '../errors';
import { emptyDatabase, listUserObjects } from './empty-database';
import { SHADOW_MARKER, TemporaryDatabaseUnavailable, createTemporaryDatabase, markerComment, temporaryDatabaseUnavailableReason } from './temporary-database';

export interface ShadowOptions {
  /** The server to create a temporary shadow on: the database worked on (or the reference's). */
  server: ConnectionTarget | null;
  /** `--shadow <url>`: use this database instead of a temporary one. */
  shadowUrl?: string;
  /** Databases that must never serve as the shadow (the live and reference databases). */
  protect?: readonly ConnectionTarget[];
  /** What it is for: "baseline", "generate", "verify"… (in names, comments and application_name). */
  purpose: string;
  /** Cleanup problems (a database that could not be dropped by hand). */
  onLog?: (message: string) => void;
  /** The engine's identity, clock and memos (a fresh context when a test calls this directly). */
  context?: EngineContext;
  /**
   * `background` (a command-line run that answers and ends): a temporary shadow's release resolves
   * once its DROP DATABASE is sent, not when the server has done it (temporary-database.ts, sendDrop).
   */
  drop?: 'wait' | 'background';
}

export interface ShadowDatabase {
  /** `temporary`: created and dropped by Stepstone; `named`: the user's `--shadow`; `embedded`: in-memory PGlite. */
  kind: 'temporary' | 'named' | 'embedded';
  /** The database's name (in-memory for embedded). */
  name: string;
  target: ConnectionTarget;
  knex: Knex;
  /** Where it is, in words for the output, e.g. "temporary database stepstone_shadow_1a2b… on 127.0.0.1:5432 (dropped afterwards)". */
  description: string;
  /** Drops every user object, leaving it as empty as when it was opened. */
  reset(): Promise<void>;
  /** Drops (temporary) or empties (named) it and closes the connections; never throws. */
  release(): Promise<void>;
}

/** Opens a shadow database as `options` say; SHADOW_UNAVAILABLE or SHADOW_NOT_EMPTY when none can be had. */
export async function openShadowDatabase(options: ShadowOptions): Promise<ShadowDatabase> {
  if (options.shadowUrl) return openNamedShadow(options.shadowUrl, options);
  if (!options.server) {
    throw new StepstoneError('SHADOW_UNAVAILABLE', 'No shadow database: there is no server to create one on.', {
      hint: 'Pass --shadow postgres://user@host:5432/empty_db naming an empty database Stepstone may use, or --db for the server to work on.',
    });
  }
  if (options.server.profile.kind === 'embedded') return openEmbeddedShadow(options.server, options.context ?? createEngineContext());
  return openTemporaryShadow(options.server, options);
}

/** Runs `fn` with a shadow database that is always released afterwards. */
export async function withShadowDatabase<T>(options: ShadowOptions, fn: (shadow: ShadowDatabase) => Promise<T>): Promise<T> {
  const shadow = await openShadowDatabase(options);
  try {
    return await fn(shadow);
  } finally {
    await shadow.release();
  }
}

async function openTemporaryShadow(server: ConnectionTarget, options: ShadowOptions): Promise<ShadowDatabase> {
  try {
    const temporary = await createTemporaryDatabase(server, {
      prefix: 'stepstone_shadow',
      purpose: options.purpose,
      onLog: options.onLog,
      context: options.context,
      // A throwaway database needs no durable commits: migrations that run without a transaction commit per statement.
      clientConfig: { options: '-c synchronous_commit=off' },
    });
    const where = describeTarget(server).replace(/^[^@]*@/, '').replace(/\/.*$/, '');
    return {
      kind: 'temporary',
      name: temporary.name,
      target: temporary.target,
      knex: temporary.knex,
      description: `temporary database ${temporary.name} on ${where} (dropped afterwards)`,
      reset: () => emptyDatabase(temporary.knex),
      release: () => temporary.drop({ background: options.drop === 'background' }),
    };
  } catch (error) {
    if (!(error instanceof TemporaryDatabaseUnavailable)) throw error;
    throw unavailable(server, error.message, error.missingPrivilege);
  }
}

function unavailable(server: ConnectionTarget, reason: string, missingPrivilege: boolean): StepstoneError {
  const user = server.profile.kind === 'embedded' ? 'the user' : describeTarget(server).split('@')[0];
  return new StepstoneError('SHADOW_UNAVAILABLE', `No shadow database: ${reason}.`, {
    hint: missingPrivilege
      ? `Grant it (ALTER ROLE "${user}" CREATEDB), or pass --shadow postgres://user@host:5432/empty_db naming an empty database Stepstone may use.`
      : 'Pass --shadow postgres://user@host:5432/empty_db naming an empty database Stepstone may use.',
  });
}

/** Null when a temporary shadow can be created for `server` (or `--shadow` is given), else why not. */
export async function shadowUnavailableReason(knex: Knex, server: ConnectionTarget): Promise<string | null> {
  if (server.profile.kind === 'embedded') return null;
  return temporaryDatabaseUnavailableReason(knex, false);
}

async function openEmbeddedShadow(server: ConnectionTarget, context: EngineContext): Promise<ShadowDatabase> {
  // The demo has no server: an in-memory PGlite of the same build serves as its shadow.
  const target: ConnectionTarget = { profile: { ...server.profile, id: `${server.profile.id}:shadow`, database: undefined } };
  const knex = await createKnex(target, connectOptions(context, 'shadow'));
  return {
    kind: 'embedded',
    name: 'memory',
    target,
    knex,
    description: 'an in-memory embedded database (discarded afterwards)',
    reset: () => emptyDatabase(knex),
    release: async () => {
      await knex.destroy().catch(() => undefined);
    },
  };
}

async function openNamedShadow(url: string, options: ShadowOptions): Promise<ShadowDatabase> {
  const context = options.context ?? createEngineContext();
  const target = targetForUrl(url, 'shadow');
  const shown = redactUrl(url);
  for (const other of options.protect ?? []) {
    if (sameDatabase(target, other)) {
      throw new StepstoneError('SHADOW_NOT_EMPTY', `--shadow names the database being worked on or read as the reference (${shown}); a shadow is emptied before use, so it must be another one.`, {
        hint: 'Name a separate, empty database as the shadow: Stepstone empties it before use.',
      });
    }
  }
  let knex: Knex;
  try {
    knex = await createKnex(target, { ...connectOptions(context, `${options.purpose} shadow`), poolMax: 2 });
    await knex.raw('select 1');
  } catch (error) {
    const classified = classifyConnectionError(error, target);
    throw new StepstoneError(classified.code, `Could not connect to the shadow database ${shown}: ${classified.message}`, {
      hint: classified.hint,
      cause: error,
    });
  }
  try {
    const comment = await databaseComment(knex);
    const objects = await listUserObjects(knex);
    const marked = comment?.startsWith(SHADOW_MARKER) ?? false;
    const ledger = objects.filter((o) => /^(table) .*\.(knex_migrations|stepstone_\w+)$/.test(o));
    if (objects.length > 0 && (!marked || ledger.length > 0)) {
      const listed = objects.slice(0, 5).join(', ') + (objects.length > 5 ? ', …' : '');
      throw new StepstoneError('SHADOW_NOT_EMPTY', `The shadow database ${shown} is not empty and Stepstone did not make it (it holds ${listed}).`, {
        hint: ledger.length
          ? 'It has a migration ledger: it looks like a real database. Name an empty database as the shadow.'
          : 'Stepstone only empties a shadow database it created or found empty: create an empty database for it (createdb app_shadow) and pass that.',
      });
    }
    if (objects.length > 0) await emptyDatabase(knex);
    if (!marked) {
      // Marks it so a later run knows its contents are Stepstone's; not being the owner only costs that.
      await knex.raw(`comment on database ${quoteIdent(databaseNameOf(target))} is ${quoteLiteral(markerComment(options.purpose, context))}`).catch((error) => {
        options.onLog?.(`Could not mark the shadow database ${shown} as Stepstone's (${messageOf(error)}); it is emptied after use.`);
      });
    }
  } catch (error) {
    await knex.destroy().catch(() => undefined);
    throw error;
  }
  let released = false;
  return {
    kind: 'named',
    name: databaseNameOf(target),
    target,
    knex,
    description: `the shadow database ${shown} (emptied before and after use)`,
    reset: () => emptyDatabase(knex),
    release: async () => {
      if (released) return;
      released = true;
      await emptyDatabase(knex).catch((error) => options.onLog?.(`Could not empty the shadow database ${shown}: ${messageOf(error)}.`));
      await knex.destroy().catch(() => undefined);
    },
  };
}

async function databaseComment(knex: Knex): Promise<string | null> {
  const res = await knex.raw(
    `select pg_catalog.shobj_description(d.oid, 'pg_database') as comment from pg_catalog.pg_database d where d.datname = current_database()`,
  );
  return (res.rows[0]?.comment as string | null) ?? null;
}
