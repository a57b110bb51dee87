/** What a finished step writes: Knex's ledger row (as Knex writes it) and Stepstone's record of the file. */
import type { Knex } from 'knex';
import type { PlanStep } from '../../shared/plan';
import { type EngineContext, describeIdentity } from '../engine-context';
import { type LedgerNames, qualified } from '../ledger/ledger-tables';

/** What a step's ledger rows record: when (Knex's migration_time) and who (Stepstone's applied_by, `user@host`). */
export interface StepRecord {
  batch: number;
  durationMs: number;
  at: Date;
  appliedBy: string;
}

/** Records of steps that run now, in `context`'s name, for one run (its author described once). */
export function stepRecorder(context: EngineContext, batch: number): (durationMs: number) => StepRecord {
  const appliedBy = describeIdentity(context.identity);
  return (durationMs) => ({ batch, durationMs, at: context.now(), appliedBy });
}

/** The record of a step that ran now, in `context`'s name. */
export function stepRecord(context: EngineContext, batch: number, durationMs: number): StepRecord {
  return { batch, durationMs, at: context.now(), appliedBy: describeIdentity(context.identity) };
}

/** A file applied again (after a rollback, or stamped before) gets its new record. */
const REPLACE_RECORD = `on conflict (name) do update set checksum = excluded.checksum, applied_at = excluded.applied_at,
         duration_ms = excluded.duration_ms, applied_by = excluded.applied_by`;

/** Record an applied or reverted step, on the step's own transaction when it has one. */
export async function writeStepToLedger(db: Knex, names: LedgerNames, step: PlanStep, record: StepRecord): Promise<void> {
  // One round trip per step for both tables: per-step overhead is what long plans pay.
  if (step.direction === 'up') {
    await db.raw(
      `with ledger as (insert into ${qualified(names, names.migrations)} (name, batch, migration_time) values (?, ?, ?))
       insert into ${qualified(names, names.applied)} (name, checksum, applied_at, duration_ms, applied_by) values (?, ?, now(), ?, ?)
       ${REPLACE_RECORD}`,
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

/** Knex's own row of a step, as Knex writes it: a one-transaction run's per-step write (Stepstone's records follow at its end). */
export async function writeKnexLedgerRow(db: Knex, names: LedgerNames, step: PlanStep, record: StepRecord): Promise<void> {
  if (step.direction === 'up') {
    await db.raw(`insert into ${qualified(names, names.migrations)} (name, batch, migration_time) values (?, ?, ?)`, [step.name, record.batch, record.at]);
  } else {
    await db.raw(`delete from ${qualified(names, names.migrations)} where name = ?`, [step.name]);
  }
}

/**
 * Stepstone's records of many steps in one statement per direction, on the run's transaction just
 * before it commits: all or nothing with Knex's rows, without a second insert beside each of them
 * (over a thousand short migrations that costed about as much as 3% of the run).
 */
export async function writeStepstoneRecords(db: Knex, names: LedgerNames, entries: Array<{ step: PlanStep; record: StepRecord }>): Promise<void> {
  const up = entries.filter((e) => e.step.direction === 'up');
  const down = entries.filter((e) => e.step.direction === 'down');
  if (up.length > 0) {
    await db.raw(
      `insert into ${qualified(names, names.applied)} (name, checksum, applied_at, duration_ms, applied_by)
       select u.name, u.checksum, now(), u.duration_ms, u.applied_by
         from unnest(?::text[], ?::text[], ?::int[], ?::text[]) as u(name, checksum, duration_ms, applied_by)
       ${REPLACE_RECORD}`,
      [up.map((e) => e.step.name), up.map((e) => e.step.checksum), up.map((e) => Math.round(e.record.durationMs)), up.map((e) => e.record.appliedBy)],
    );
  }
  if (down.length > 0) {
    await db.raw(`delete from ${qualified(names, names.applied)} where name = any(?::text[])`, [down.map((e) => e.step.name)]);
  }
}
