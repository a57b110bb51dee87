/**
 * How the service opens databases. A server database gets a fresh connection per call. An
 * embedded (PGlite) database is one in-process instance that must never be opened twice at once
 * (two instances on one folder corrupt it) and takes seconds to start, so it stays open and its
 * calls run one after another.
 */
import type { ConnectionTarget } from '../engine';
import type { DbHandle, EnginePort } from './engine-port';

export interface DatabaseSessions {
  /**
   * Run `use` with a database session for `target`; server sessions are closed afterwards. A
   * `read` session on a server is a bare connection (status); the embedded one is always the same.
   */
  use<T>(target: ConnectionTarget, operation: string, use: (db: DbHandle) => Promise<T>, access?: 'read' | 'write'): Promise<T>;
  /** Close the embedded databases kept open (the shell is quitting). */
  closeAll(): Promise<void>;
}

interface EmbeddedSession {
  /** What the session was opened with; a changed profile reopens it. */
  fingerprint: string;
  db: DbHandle | null;
  queue: Promise<unknown>;
}

function fingerprintOf(target: ConnectionTarget): string {
  const p = target.profile;
  return JSON.stringify([p.database ?? null, p.migrations, p.transactionMode]);
}

/** Sessions over `engine`. */
export function createDatabaseSessions(engine: EnginePort): DatabaseSessions {
  const embedded = new Map<string, EmbeddedSession>();

  function useEmbedded<T>(target: ConnectionTarget, use: (db: DbHandle) => Promise<T>): Promise<T> {
    const key = target.profile.database ?? `memory:${target.profile.id}`;
    let session = embedded.get(key);
    if (!session) {
      session = { fingerprint: fingerprintOf(target), db: null, queue: Promise.resolve() };
      embedded.set(key, session);
    }
    const current = session;
    const run = current.queue.then(async () => {
      const fingerprint = fingerprintOf(target);
      if (current.db && current.fingerprint !== fingerprint) {
        await current.db.close().catch(() => {});
        current.db = null;
      }
      if (!current.db) {
        // A failed open leaves db null, so the next call tries again.
        current.db = await engine.openDatabase(target, { operation: 'session' });
        current.fingerprint = fingerprint;
      }
      return use(current.db);
    });
    current.queue = run.catch(() => {});
    return run;
  }

  return {
    async use(target, operation, use, access = 'write') {
      if (target.profile.kind === 'embedded') return useEmbedded(target, use);
      const db = access === 'read' ? await engine.openReadSession(target, { operation }) : await engine.openDatabase(target, { operation });
      try {
        return await use(db);
      } finally {
        await db.close();
      }
    },
    async closeAll() {
      const sessions = [...embedded.values()];
      embedded.clear();
      await Promise.all(
        sessions.map(async (session) => {
          await session.queue;
          await session.db?.close().catch(() => {});
        }),
      );
    },
  };
}
