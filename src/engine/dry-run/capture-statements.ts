/**
 * Records the SQL a migration sends, with its bindings, from Knex's `query` events. Capture is
 * switched on only while the migration's own code runs, so the dry run's introspection and
 * ledger queries on the same connection are not mistaken for the migration's.
 */
import type { Knex } from 'knex';
import type { CapturedStatement } from '../../shared/schema';

/** Something that emits Knex `query` events: a Knex instance or a transaction. */
type QueryEmitter = Pick<Knex, 'on' | 'removeListener'>;

export interface StatementCapture {
  /** Runs `fn` with capture on; returns what it sent, also when it throws (see `CaptureFailure`). */
  during<T>(fn: () => Promise<T>): Promise<{ value: T; statements: CapturedStatement[] }>;
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
}

/** Listens on `emitter` (a transaction emits only its own queries, nested ones included). */
export function captureStatements(emitter: QueryEmitter): StatementCapture {
  let current: CapturedStatement[] | null = null;
  const listener = (event: QueryEvent) => {
    if (!current || typeof event.sql !== 'string') return;
    // Knex logs its own transaction control (BEGIN;, savepoints) as queries too; they are not the migration's.
    if (/^(BEGIN|COMMIT|ROLLBACK)\b/i.test(event.sql) || /^(SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT) trx\d+/i.test(event.sql)) return;
    current.push({ sql: event.sql, bindings: (event.bindings ?? []).map(normaliseBinding) });
  };
  emitter.on('query', listener);
  return {
    async during(fn) {
      const statements: CapturedStatement[] = [];
      current = statements;
      try {
        return { value: await fn(), statements };
      } catch (error) {
        throw new CaptureFailure(error, statements);
      } finally {
        current = null;
      }
    },
    detach: () => void emitter.removeListener('query', listener),
  };
}
