/**
 * The database session as the façade hands it out: opaque to the shells (they only close it),
 * the engine's `Db` (or a read-only `ReadSession`) inside. Shells open one per operation (or
 * keep one, for the embedded demo).
 */
import type { Db } from '../database/open-database';
import type { ReadSession } from '../database/read-session';
import { StepstoneError } from '../errors';

/** An open database session; pass it back to the engine's operations, close it when done. */
export interface DbSession {
  close(): Promise<void>;
}

function foreign(what: string): StepstoneError {
  return new StepstoneError('INTERNAL', `A database session was passed to the engine that ${what}.`);
}

/** The engine's view of a session the façade opened for reading (status). */
export function readSessionOf(session: DbSession): ReadSession {
  const read = session as Partial<ReadSession>;
  if (!read.sql || !read.context || !read.target) throw foreign('the engine did not open');
  return read as ReadSession;
}

/** The engine's view of a full session (plans, runs, history, the lock, dry runs). */
export function dbOf(session: DbSession): Db {
  const db = readSessionOf(session) as Partial<Db>;
  if (!db.knex) throw foreign('was opened read-only (openReadSession) but is used to write');
  return db as Db;
}
