/**
 * Marks migrations as applied without running them (baseline, stamp): under Stepstone's advisory
 * lock and Knex's lock row, one new batch of ledger rows exactly as Knex writes them, each file's
 * checksum in Stepstone's table flagged `stamped`, and a history entry — all in one transaction.
 */
import type { StepResult } from '../../shared/run';
import type { Db } from '../database/open-database';
import { describeIdentity } from '../engine-context';
import { StepstoneError } from '../errors';
import { recordHistory } from '../history/history-log';
import { ensureLedgerTables, qualified } from '../ledger/ledger-tables';
import { readLedger } from '../ledger/read-ledger';
import { acquireAdvisoryLock } from '../lock/advisory-lock';
import { takeLockRowInTransaction } from '../lock/knex-lock-row';
import { headOf } from '../migrations/list-migration-files';

export interface StampEntry {
  name: string;
  checksum: string;
}

export interface StampRecord {
  operation: 'baseline' | 'stamp';
  entries: StampEntry[];
  startedAt: Date;
  /** What the history keeps besides the steps: forced or not, the differences overridden… */
  details: Record<string, unknown>;
}

/** Records the stamp; returns the batch and the history entry's id. LOCKED/PLAN_STALE when another process moved first. */
export async function recordStamp(db: Db, record: StampRecord): Promise<{ batch: number; historyId: number; head: string | null }> {
  const lock = await acquireAdvisoryLock(db, record.operation);
  try {
    await ensureLedgerTables(db.knex, db.names);
    // Tables created before `stamped` existed get it here (Stepstone's own table; Knex's are untouched).
    await db.knex.raw(`alter table ${qualified(db.names, db.names.applied)} add column if not exists stamped boolean not null default false`);
    const appliedBy = describeIdentity(db.context.identity);
    return await db.knex.transaction(async (trx) => {
      await takeLockRowInTransaction(trx, db.names);
      const ledger = await readLedger(trx, db.names);
      const applied = new Set(ledger.rows.map((r) => r.name));
      const already = record.entries.filter((e) => applied.has(e.name));
      if (already.length) {
        throw new StepstoneError('PLAN_STALE', `${already.map((e) => e.name).join(', ')} ${already.length === 1 ? 'is' : 'are'} already applied: another process changed the ledger meanwhile.`, {
          hint: 'Look at `stepstone status` and run the command again; nothing was recorded.',
        });
      }
      const headBefore = headOf(applied);
      const batch = ledger.rows.reduce((max, r) => Math.max(max, r.batch), 0) + 1;
      const now = db.context.now();
      for (const entry of record.entries) {
        await trx.raw(
          `with ledger as (insert into ${qualified(db.names, db.names.migrations)} (name, batch, migration_time) values (?, ?, ?))
           insert into ${qualified(db.names, db.names.applied)} (name, checksum, applied_at, duration_ms, applied_by, stamped) values (?, ?, now(), null, ?, true)
           on conflict (name) do update set checksum = excluded.checksum, applied_at = excluded.applied_at,
             duration_ms = null, applied_by = excluded.applied_by, stamped = true`,
          [entry.name, batch, now, entry.name, entry.checksum, appliedBy],
        );
      }
      // Knex frees its lock row after a run; the transaction commits both.
      await trx.raw(`update ${qualified(db.names, db.names.lock)} set is_locked = 0`);
      const head = headOf([...applied, ...record.entries.map((e) => e.name)]);
      const steps: StepResult[] = record.entries.map((e) => ({ name: e.name, direction: 'up', outcome: 'stamped', durationMs: null, error: null }));
      const historyId = await recordHistory(trx, db.names, db.context.identity, {
        operation: record.operation,
        outcome: 'succeeded',
        startedAt: record.startedAt,
        durationMs: db.context.now().getTime() - record.startedAt.getTime(),
        headBefore,
        headAfter: head,
        plan: null,
        steps,
        error: null,
        details: { ...record.details, batch },
      });
      return { batch, historyId, head };
    });
  } finally {
    await lock.release();
  }
}
