/**
 * The embedded database (PGlite, PostgreSQL in WASM) run in a worker thread. PGlite's start-up —
 * initdb on a new data folder especially — is seconds of synchronous WASM; on the main thread it
 * would freeze the app's server (no folder listing, no static files) until it finished. In a worker
 * the main thread only posts queries and receives rows, and stays free.
 *
 * The handle has the part of PGlite's interface knex-pglite uses (waitReady, query, close), so
 * Knex runs on it unchanged (`connection: { pglite }`).
 */
import { Worker } from 'node:worker_threads';
import { assertNever } from '../../shared/assert-never';

/** The part of a PGlite instance knex-pglite (and the embedded session) uses. */
export interface PgliteHandle {
  waitReady: Promise<void>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[], options?: { rowMode?: 'array' | 'object' }): Promise<PgliteResults<T>>;
  close(): Promise<void>;
}

export interface PgliteResults<T> {
  rows: T[];
  fields: { name: string; dataTypeID: number }[];
  affectedRows?: number;
}

// Runs in the worker (CommonJS, eval'd): opens PGlite, then answers one message at a time in order.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { PGlite } = require(workerData.pglite);
const serialize = (e) => {
  const out = { message: String(e && e.message || e), name: e && e.name, stack: e && e.stack };
  if (e && typeof e === 'object') for (const k of Object.keys(e)) { const v = e[k]; if (v === undefined || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v; }
  return out;
};
const db = new PGlite(workerData.dataDir === null ? undefined : workerData.dataDir);
db.waitReady.then(() => parentPort.postMessage({ type: 'ready' }), (e) => parentPort.postMessage({ type: 'failed', error: serialize(e) }));
let queue = Promise.resolve();
parentPort.on('message', (m) => {
  queue = queue.then(async () => {
    if (m.type === 'query') {
      try {
        const r = await db.query(m.sql, m.params, m.options);
        parentPort.postMessage({ type: 'result', id: m.id, result: { rows: r.rows, fields: r.fields, affectedRows: r.affectedRows } });
      } catch (e) {
        parentPort.postMessage({ type: 'error', id: m.id, error: serialize(e) });
      }
    } else if (m.type === 'close') {
      try { await db.close(); } catch {}
      parentPort.postMessage({ type: 'closed' });
    }
  });
});
`;

type FromWorker =
  | { type: 'ready' }
  | { type: 'failed'; error: SerializedError }
  | { type: 'result'; id: number; result: PgliteResults<never> }
  | { type: 'error'; id: number; error: SerializedError }
  | { type: 'closed' };

type SerializedError = { message: string; name?: string; stack?: string } & Record<string, unknown>;

/** An Error carrying the worker's error fields (PostgreSQL's code, detail, hint…), so classifiers see them. */
function revive(e: SerializedError): Error {
  const { message, stack, name, ...fields } = e;
  const error = Object.assign(new Error(message), fields);
  if (name) Object.defineProperty(error, 'name', { value: name, configurable: true, writable: true });
  if (stack) error.stack = stack;
  return error;
}

/** Where PGlite's CommonJS entry is: the worker loads it itself (nothing of PGlite runs here). */
function pgliteEntry(): string {
  return require.resolve('@electric-sql/pglite');
}

/** Start PGlite on `dataDir` (in memory when null) in a worker thread. */
export function startPgliteInWorker(dataDir: string | null): PgliteHandle {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { pglite: pgliteEntry(), dataDir } });
  const pending = new Map<number, { resolve: (r: PgliteResults<never>) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let closing: Promise<void> | null = null;
  let onClosed: (() => void) | null = null;
  let exited: Error | null = null;

  let markReady!: () => void;
  let markFailed!: (e: Error) => void;
  const waitReady = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    markFailed = reject;
  });
  waitReady.catch(() => {}); // observed by whoever awaits it; never an unhandled rejection here

  // The thread keeps the process alive only while it starts or answers a query: a session nobody
  // closed (or one whose start failed) does not hold the process open once idle.
  const settle = () => {
    if (pending.size === 0 && !starting && !closing) worker.unref();
  };
  let starting = true;
  const failAll = (error: Error) => {
    exited = error;
    markFailed(error);
    for (const p of pending.values()) p.reject(error);
    pending.clear();
    onClosed?.();
  };
  worker.on('message', (m: FromWorker) => {
    switch (m.type) {
      case 'ready':
        starting = false;
        settle();
        return markReady();
      case 'failed':
        starting = false;
        settle();
        return markFailed(revive(m.error));
      case 'result':
      case 'error': {
        const p = pending.get(m.id);
        pending.delete(m.id);
        settle();
        if (m.type === 'result') p?.resolve(m.result);
        else p?.reject(revive(m.error));
        return;
      }
      case 'closed':
        return onClosed?.();
      default:
        return assertNever(m, 'worker message');
    }
  });
  worker.on('error', (error) => failAll(error));
  worker.on('exit', (code) => failAll(new Error(`The embedded database stopped (worker exit code ${code}).`)));

  return {
    waitReady,
    query<T>(sql: string, params?: unknown[], options?: { rowMode?: 'array' | 'object' }) {
      if (exited) return Promise.reject(exited);
      if (closing) return Promise.reject(new Error('The embedded database is closed.'));
      const id = nextId++;
      return new Promise<PgliteResults<T>>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (r: PgliteResults<never>) => void, reject });
        worker.ref();
        // Only what clones: knex passes no parser or serializer functions.
        worker.postMessage({ type: 'query', id, sql, params, options: options?.rowMode ? { rowMode: options.rowMode } : undefined });
      });
    },
    close() {
      closing ??= (async () => {
        worker.ref();
        if (!exited) {
          // Let PGlite flush and shut down cleanly, then end the thread.
          await new Promise<void>((resolve) => {
            onClosed = resolve;
            worker.postMessage({ type: 'close' });
          });
        }
        await worker.terminate();
      })();
      return closing;
    },
  };
}
