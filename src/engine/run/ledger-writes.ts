/** What a finished step writes: Knex's ledger row (as Knex writes it) and Stepstone's record of the file. */
import type { Knex } from 'knex';
import { hostname } from 'node:os';
import type { PlanStep } from '../../shared/domain';
import { safeUser } from '../connection/connection-target';
import { type LedgerNames, qualified } from '../ledger/ledger-tables';

const appliedBy = `${safeUser()}@${hostname()}`;

/** Record an applied or reverted step, on the step's own transaction when it has one. */
export async function writeStepToLedger(db: Knex, names: LedgerNames, step: PlanStep, batch: number, durationMs: number): Promise<void> {
  // One round trip per step for both tables: per-step overhead is what long plans pay.
  if (step.direction === 'up') {
    await db.raw(
      `with ledger as (insert into ${qualified(names, names.migrations)} (name, batch, migration_time) values (?, ?, ?))
       insert into ${qualified(names, names.applied)} (name, checksum, applied_at, duration_ms, applied_by) values (?, ?, now(), ?, ?)
       on conflict (name) do update set checksum = excluded.checksum, applied_at = excluded.applied_at,
         duration_ms = excluded.duration_ms, applied_by = excluded.applied_by`,
      [step.name, batch, new Date(), step.name, step.checksum, Math.round(durationMs), appliedBy],
    );
  } else {
    await db.raw(
      `with ledger as (delete from ${qualified(names, names.migrations)} where name = ?)
       delete from ${qualified(names, names.applied)} where name = ?`,
      [step.name, step.name],
    );
  }
}
