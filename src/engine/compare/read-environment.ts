/**
 * What one environment's database has: its applied migrations with the checksums Stepstone recorded,
 * its last upgrade or rollback, and (when asked) its schema. Read-only; a database that cannot be
 * reached is described, not thrown, so the other side of a comparison can still be shown.
 */
import type { ComparedMigration, CompareSide } from '../../shared/compare';
import type { ErrorInfo } from '../../shared/error-info';
import type { LastRun } from '../../shared/last-run';
import type { SchemaSnapshot } from '../../shared/schema';
import { type ConnectionTarget, databaseNameOf } from '../connection/connection-target';
import { openDatabase } from '../database/open-database';
import type { EngineContext } from '../engine-context';
import { toErrorInfo } from '../errors';
import { existingTables, ledgerTableExclusions, qualified } from '../ledger/ledger-tables';
import { readLedger } from '../ledger/read-ledger';
import { headOf } from '../migrations/list-migration-files';
import { introspectSchema } from '../schema';

export interface EnvironmentState {
  side: CompareSide;
  schema: SchemaSnapshot | null;
}

/** Reads `target` (schema too when `withSchema`); an unreachable database gives `reachable: false` and the error. */
export async function readEnvironment(label: string, target: ConnectionTarget, options: { withSchema: boolean; context?: EngineContext }): Promise<EnvironmentState> {
  let database: string | null = null;
  try {
    database = databaseNameOf(target);
  } catch {
    // a malformed URL: the error below says so
  }
  try {
    const db = await openDatabase(target, { operation: 'compare', context: options.context });
    try {
      const { applied, lastRun, schema } = await db.knex.transaction(
        async (trx) => {
          const ledger = await readLedger(trx, db.names);
          const applied: ComparedMigration[] = ledger.rows.map((r) => ({ name: r.name, batch: r.batch, appliedAt: r.migrationTime, checksum: ledger.records.get(r.name)?.checksum ?? null }));
          const lastRun = await readLastRun(trx, db.names);
          const schema = options.withSchema ? await introspectSchema(trx, { excludeTables: ledgerTableExclusions(db.names) }) : null;
          return { applied, lastRun, schema };
        },
        { readOnly: true },
      );
      return { side: { label, database, reachable: true, error: null, applied, head: headOf(applied.map((a) => a.name)), lastRun }, schema };
    } finally {
      await db.close();
    }
  } catch (error) {
    return unavailableEnvironment(label, toErrorInfo(error), database);
  }
}

/** A side that could not be read, and why. */
export function unavailableEnvironment(label: string, error: ErrorInfo, database: string | null = null): EnvironmentState {
  return { side: { label, database, reachable: false, error, applied: [], head: null, lastRun: null }, schema: null };
}

type Reader = Parameters<typeof readLedger>[0] & { raw(sql: string, bindings?: unknown[]): Promise<{ rows: Record<string, unknown>[] }> };

/** The newest upgrade or rollback in Stepstone's history; null when it never ran one there. */
async function readLastRun(trx: Reader, names: Parameters<typeof readLedger>[1]): Promise<LastRun | null> {
  if (!(await existingTables(trx, names, [names.history])).has(names.history)) return null;
  const { rows } = await trx.raw(
    `select id, operation, outcome, started_at, head_after from ${qualified(names, names.history)}
      where operation in ('upgrade', 'rollback') order by id desc limit 1`,
  );
  const row = rows[0];
  if (!row) return null;
  const started = row.started_at instanceof Date ? row.started_at.toISOString() : new Date(String(row.started_at)).toISOString();
  return { historyId: Number(row.id), operation: String(row.operation), outcome: String(row.outcome), startedAt: started, headAfter: (row.head_after as string | null) ?? null };
}
