/**
 * A throwaway database on the live server holding a schema-only copy of a snapshot plus Knex's
 * ledger rows, where a plan can run for real (non-transactional steps included) and be dropped.
 */
import type { Knex } from 'knex';
import type { SchemaSnapshot } from '../../shared/schema';
import type { Db } from '../database/open-database';
import { messageOf } from '../errors';
import { ensureLedgerTables, qualified, type LedgerNames } from '../ledger/ledger-tables';
import type { LedgerRow } from '../ledger/read-ledger';
import { renderSchemaDdl } from '../schema';
import { canBatch } from '../schema/catalog-batch';
import { TemporaryDatabaseUnavailable, createTemporaryDatabase, temporaryDatabaseUnavailableReason } from '../shadow/temporary-database';

export interface ScratchDatabase {
  name: string;
  knex: Knex;
  /** Closes the connection and drops the database (WITH (FORCE)); never throws. `background`: see TemporaryDatabase.drop. */
  drop(options?: { background?: boolean }): Promise<void>;
}

/** Why no scratch database can be had, in words for the user. */
export class ScratchUnavailable extends Error {}

/**
 * Same timeouts as the live dry run, so a preview can never hang. A throwaway database needs no
 * durable commits (as the shadow's): each step and its ledger row commit there without waiting
 * for the WAL flush.
 */
const SCRATCH_SESSION = { statement_timeout: 30_000, lock_timeout: 2_000, options: '-c synchronous_commit=off' };

/** Null when a scratch database can be created here, else the reason it cannot. */
export async function scratchUnavailableReason(db: Db): Promise<string | null> {
  const reason = await temporaryDatabaseUnavailableReason(db.knex, db.embedded);
  return reason?.replace('a temporary database', 'a scratch database') ?? null;
}

/** An empty temporary database (same encoding and locale) with a one-connection Knex on it; dropped by `drop()` or on Ctrl-C. */
export async function createScratchDatabase(db: Db, onLog?: (message: string) => void): Promise<ScratchDatabase> {
  try {
    const temporary = await createTemporaryDatabase(db.target, { prefix: 'stepstone_scratch', purpose: 'dry-run', clientConfig: SCRATCH_SESSION, poolMax: 1, onLog, context: db.context });
    return { name: temporary.name, knex: temporary.knex, drop: temporary.drop };
  } catch (error) {
    if (error instanceof TemporaryDatabaseUnavailable) throw new ScratchUnavailable(error.message.replace('a temporary database', 'a scratch database'));
    throw error;
  }
}

/** Recreates `snapshot` in the (empty) scratch database, then Knex's ledger tables with `ledgerRows`. */
export async function buildSchemaCopy(knex: Knex, snapshot: SchemaSnapshot, names: LedgerNames, ledgerRows: LedgerRow[]): Promise<void> {
  const ddl = renderSchemaDdl(snapshot);
  // On pg the statements of each part travel as one multi-statement query (one round trip instead of
  // one per statement: about a hundred for the sample project); on other drivers one by one.
  const together = canBatch(knex);
  const runAll = async (trx: Knex.Transaction, statements: string[]) => {
    if (together && statements.length > 0) await trx.raw(statements.join(';\n'));
    else for (const sql of statements) await trx.raw(sql);
  };
  try {
    await knex.transaction(async (trx) => {
      await runAll(trx, ddl.preData);
    });
    await knex.transaction(async (trx) => {
      await runAll(trx, ddl.postData);
      // Knex's ledger and the applied-migrations table, which each step's ledger write fills; the
      // rest of Stepstone's tables (history, snapshots, evidence) a dry run never writes.
      await ensureLedgerTables(trx, names, { only: 'applied' });
      // One insert for all rows, in ledger order (ids are given in VALUES order).
      for (let at = 0; at < ledgerRows.length; at += 1000) {
        const chunk = ledgerRows.slice(at, at + 1000);
        await trx.raw(
          `insert into ${qualified(names, names.migrations)} (name, batch, migration_time) values ${chunk.map(() => '(?, ?, ?)').join(', ')}`,
          chunk.flatMap((row) => [row.name, row.batch, row.migrationTime || null]),
        );
      }
    });
  } catch (error) {
    throw new ScratchUnavailable(`could not copy the schema into a scratch database: ${messageOf(error)}`);
  }
}
