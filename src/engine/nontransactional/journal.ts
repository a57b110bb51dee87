/**
 * The journal of non-transactional migrations: a row before one runs and its end after, each
 * written on its own (autocommit), outside any transaction. Nothing can roll back what such a
 * migration did, so a row left open is the only trace of one that was interrupted.
 */
import type { Knex } from 'knex';
import type { PlanStep } from '../../shared/plan';
import { type EngineContext, describeIdentity } from '../engine-context';
import { type LedgerNames, qualified } from '../ledger/ledger-tables';
import type { LoadedMigration } from '../migrations/load-migration';
import { renderMigrationOffline } from './render-offline';

/** How a run records its non-transactional steps (`StepRunContext.journal`). */
export interface NonTransactionalJournal {
  /** Before the step runs; the journal row's id. */
  start(step: PlanStep, migration: LoadedMigration): Promise<number>;
  /** After it ran (never throws: a run whose connection is gone leaves the row open, which reads as interrupted). */
  finish(id: number, outcome: 'succeeded' | 'failed', error: string | null): Promise<void>;
}

export interface JournalOptions {
  knex: Knex;
  names: LedgerNames;
  context: EngineContext;
  batch: number | null;
  /** The backend of the run's advisory-lock session: while it lives, the run lives. */
  holderPid: number | null;
}

/** A journal on `knex` (the tables exist: ensureLedgerTables ran). */
export function nonTransactionalJournal(options: JournalOptions): NonTransactionalJournal {
  const table = qualified(options.names, options.names.nonTransactional);
  const { pid } = options.context.identity;
  return {
    async start(step, migration) {
      const statements = await renderMigrationOffline(migration, step.direction);
      const res = await options.knex.raw(
        `insert into ${table} (name, direction, batch, checksum, run_by, application_name, holder_pid, statements)
         values (?, ?, ?, ?, ?, current_setting('application_name'), ?, ?::jsonb) returning id`,
        [
          step.name,
          step.direction,
          options.batch,
          step.checksum,
          `${describeIdentity(options.context.identity)} pid ${pid}`,
          options.holderPid,
          statements ? JSON.stringify(statements) : null,
        ],
      );
      return Number(res.rows[0].id);
    },
    async finish(id, outcome, error) {
      await options.knex.raw(`update ${table} set ended_at = now(), outcome = ?, error = ? where id = ?`, [outcome, error, id]).catch(() => undefined);
    },
  };
}
