/** What a finished step writes: Knex's ledger row (as Knex writes it) and Stepstone's record of the file. */
import type { Knex } from 'knex';
import type { PlanStep } from '../../shared/domain';
import { type EngineContext, describeIdentity } from '../engine-context';
import { type LedgerNames, qualified } from '../ledger/ledger-tables';

/** What a step's ledger rows record: when (Knex's migration_time) and who (Stepstone's applied_by, `user@host`). */
export interface StepRecord {
  batch: number;
  durationMs: number;
  at: Date;
  appliedBy: string;
}

/** The record of a step that ran now, in `context`'s name. */
export function stepRecord(context: EngineContext, batch: number, durationMs: number): StepRecord {
  return { batch, durationMs, at: context.now(), appliedBy: describeIdentity(context.identity) };
}

/** Record an applied or reverted step, on the step's own transaction when it has one. */
export async function writeStepToLedger(db: Knex, names: LedgerNames, step: PlanStep, record: StepRecord): Promise<void> {
  // One round trip per step for both tables: per-step overhead is what long plans pay.
  if (step.direction === 'up') {
    await db.raw(
      `with ledger as (insert into ${qualified(names, names.migrations)} (name, batch, migration_time) values (?, ?, ?))
       insert into ${qualified(names, names.applied)} (name, checksum, applied_at, duration_ms, applied_by) values (?, ?, now(), ?, ?)
       on conflict (name) do update set checksum = excluded.checksum, applied_at = excluded.applied_at,
         duration_ms = excluded.duration_ms, applied_by = excluded.applied_by`,
      [step.name, record.batch, record.at, step.name, step.checksum, Math.round(record.durationMs), record.appliedBy],
    );
  } else {
    await db.raw(
      `with ledger as (delete from ${qualified(names, names.migrations)} where name = ?)
       delete from ${qualified(names, names.applied)} where name = ?`,
      [step.name, step.name],
    );
  }
}
