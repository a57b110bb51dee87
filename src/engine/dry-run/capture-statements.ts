/**
 * Records the SQL a migration sends, with its bindings, from Knex's `query` events. Capture is
 * switched on only while the migration's own code runs, so the dry run's introspection and
 * ledger queries on the same connection are not mistaken for the migration's.
 */
import type { Knex } from 'knex';
import type { CapturedStatement } from '../../shared/schema';
import type { LockTracer } from './trace-locks';

/** Something that emits Knex `query` events: a Knex instance or a transaction. */
type QueryEmitter = Pick<Knex, 'on' | 'removeListener'>;

export interface StatementCapture {
  /**
   * Runs `fn` with capture on; returns what it sent, also when it throws (see `CaptureFailure`).
   * With a `tracer`, each statement that succeeds also gets its locks, rewrites, row count and time.
   */
  during<T>(fn: () => Promise<T>, tracer?: LockTracer): Promise<{ value: T; statements: CapturedStatement[] }>;
  /** Stops listening. */
  detach(): void;
}

/** Thrown by `during` when `fn` fails: the original error plus the statements sent before it. */
export class CaptureFailure extends Error {
  constructor(
    readonly error: unknown,
    readonly statements: CapturedStatement[],
  ) {
    super(error instanceof Error ? error.message : String(error));
  }
}

/** JSON-safe form of a binding, as the `pg` driver would send it (dates as ISO text, bytea as hex). */
export function normaliseBinding(value: unknown): unknown {
  if (value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return `\\x${value.toString('hex')}`;
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(normaliseBinding);
  return value;
}

interface QueryEvent {
  sql?: string;
  bindings?: unknown[];
  __knexQueryUid?: string;
}

/** Rows a statement reported: a number from Knex's builders, `rowCount` from a raw `pg` result. */
function rowCountOf(response: unknown): number | null {
  if (typeof response === 'number') return response;
  const count = (response as { rowCount?: unknown } | null)?.rowCount;
  return typeof count === 'number' ? count : null;
}

interface Sent {
  statement: CapturedStatement;
  uid: string | undefined;
  started: number;
}

/** Listens on `emitter` (a transaction emits only its own queries, nested ones included). */
export function captureStatements(emitter: QueryEmitter): StatementCapture {
  let current: { statements: CapturedStatement[]; tracer?: LockTracer; sent: Sent[]; readings: Promise<unknown>[] } | null = null;
  const onQuery = (event: QueryEvent) => {
    if (!current || typeof event.sql !== 'string') return;
    // Knex logs its own transaction control (BEGIN;, savepoints) as queries too; they are not the migration's.
    if (/^(BEGIN|COMMIT|ROLLBACK)\b/i.test(event.sql) || /^(SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT) trx\d+/i.test(event.sql)) return;
    const statement: CapturedStatement = { sql: event.sql, bindings: (event.bindings ?? []).map(normaliseBinding) };
    current.statements.push(statement);
    if (current.tracer) current.sent.push({ statement, uid: event.__knexQueryUid, started: performance.now() });
  };
  const onResponse = (response: unknown, event: QueryEvent) => {
    const run = current;
    if (!run?.tracer) return;
    const at = run.sent.findIndex((s) => s.uid === event?.__knexQueryUid);
    if (at < 0) return; // not one of the migration's statements (e.g. Knex's own transaction control)
    const [{ statement, started }] = run.sent.splice(at, 1);
    const durationMs = performance.now() - started;
    const { tracer } = run;
    // Called synchronously here, so the reading is queued before the migration's next statement.
    const reading = tracer.readAfterStatement().then(({ acquired, rewritten }) => {
      statement.trace = { locks: 'traced', where: tracer.where, acquired, rewritten, rowCount: rowCountOf(response), durationMs };
    });
    run.readings.push(reading);
  };
  emitter.on('query', onQuery);
  emitter.on('query-response', onResponse);
  return {
    async during(fn, tracer) {
      const run = { statements: [] as CapturedStatement[], tracer, sent: [] as Sent[], readings: [] as Promise<unknown>[] };
      current = run;
      try {
        const value = await fn();
        await Promise.all(run.readings);
        return { value, statements: run.statements };
      } catch (error) {
        await Promise.allSettled(run.readings);
        throw new CaptureFailure(error, run.statements);
      } finally {
        current = null;
      }
    },
    detach: () => {
      emitter.removeListener('query', onQuery);
      emitter.removeListener('query-response', onResponse);
    },
  };
}
