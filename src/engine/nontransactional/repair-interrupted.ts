/**
 * Repairs an interrupted non-transactional migration the way the user chose: `retry` drops what
 * it left (an invalid or orphaned index) so the next run runs it again; `complete` records it as
 * applied (up) or rolled back (down) when what it creates is there and valid, or what it drops is
 * gone. Under Stepstone's advisory lock; the choice and its SQL are recorded in the history.
 */
import type { RepairAction, RepairResult } from '../../shared/interrupted-migration';
import type { Db } from '../database/open-database';
import { describeIdentity } from '../engine-context';
import { StepstoneError } from '../errors';
import { recordHistory } from '../history/history-log';
import { acquireAdvisoryLock } from '../lock/advisory-lock';
import { freeLockRow } from '../lock/knex-lock-row';
import { findLockHolders } from '../lock/lock-state';
import { ensureLedgerTables, qualified } from '../ledger/ledger-tables';
import { readLedger } from '../ledger/read-ledger';
import { headOf } from '../migrations/list-migration-files';
import { writeStepToLedger } from '../run/ledger-writes';
import { type InterruptedEntry, findInterrupted } from './find-interrupted';

/** The interrupted migrations of `db` (status reads the same through its read session). */
export async function listInterrupted(db: Db): Promise<InterruptedEntry[]> {
  const ledger = await readLedger(db.knex, db.names);
  return findInterrupted(db.knex, db.names, new Set(ledger.rows.map((r) => r.name)));
}

function pick(entries: InterruptedEntry[], name: string | undefined): InterruptedEntry {
  if (!entries.length) {
    throw new StepstoneError('NOT_INTERRUPTED', 'No non-transactional migration is interrupted on this database; there is nothing to repair.', {
      hint: '`stepstone status` lists interrupted migrations with their repairs.',
    });
  }
  if (name === undefined) {
    if (entries.length === 1) return entries[0];
    throw new StepstoneError('INVALID_INPUT', `${entries.length} migrations are interrupted (${entries.map((e) => e.name).join(', ')}): name the one to repair.`, {
      hint: 'stepstone repair <name> --action retry|complete',
    });
  }
  const base = (n: string) => n.replace(/\.[cm]?[jt]s$/, '');
  const entry = entries.find((e) => e.name === name || base(e.name) === base(name));
  if (!entry) {
    throw new StepstoneError('NOT_INTERRUPTED', `${name} is not an interrupted migration here; interrupted: ${entries.map((e) => e.name).join(', ')}.`, {
      hint: '`stepstone status` lists interrupted migrations with their repairs.',
    });
  }
  return entry;
}

/** Performs `action` on the interrupted migration `name` (the only one when left out). */
export async function repairInterrupted(db: Db, name: string | undefined, action: RepairAction): Promise<RepairResult> {
  const lock = await acquireAdvisoryLock(db, 'repair');
  try {
    await ensureLedgerTables(db.knex, db.names);
    const entry = pick(await listInterrupted(db), name);
    const option = entry.repairs.find((r) => r.action === action)!;
    if (!option.available) {
      const other = entry.repairs.find((r) => r.action !== action && r.available);
      throw new StepstoneError('REPAIR_UNAVAILABLE', `Cannot ${action === 'retry' ? 'retry' : 'complete'} ${entry.name}: ${option.reason}. Nothing was changed.`, {
        hint: other ? `The repair that fits: --action ${other.action} (${other.label}).` : entry.summary,
        migration: entry.name,
      });
    }
    const startedAt = db.context.now();
    const t0 = performance.now();
    const ledgerBefore = await readLedger(db.knex, db.names);
    const headBefore = headOf(ledgerBefore.rows.map((r) => r.name));
    // DROP INDEX CONCURRENTLY cannot run in a transaction: each statement on its own.
    for (const statement of option.sql) await db.knex.raw(statement);
    if (action === 'complete') {
      const step = { name: entry.name, direction: entry.direction, transactional: false, checksum: entry.checksum ?? '', batch: entry.batch };
      const batch = entry.batch ?? ledgerBefore.rows.reduce((max, r) => Math.max(max, r.batch), 0) + 1;
      await writeStepToLedger(db.knex, db.names, step, { batch, durationMs: 0, at: db.context.now(), appliedBy: describeIdentity(db.context.identity) });
    }
    await db.knex.raw(`update ${qualified(db.names, db.names.nonTransactional)} set ended_at = coalesce(ended_at, now()), outcome = ? where id = ?`, [`repaired-${action}`, entry.id]);
    // The interrupted run left Knex's lock row set; with no one else holding it, it goes with the repair.
    const ledgerAfter = await readLedger(db.knex, db.names);
    let freedLock = false;
    const ownSession = (lock.session as { processID?: number | null } | null)?.processID ?? null;
    const others = (await findLockHolders(db.knex, db.names)).filter((h) => h.pid !== ownSession);
    if (ledgerAfter.lockRow && others.length === 0) {
      await freeLockRow(db.knex, db.names);
      freedLock = true;
    }
    const headAfter = headOf(ledgerAfter.rows.map((r) => r.name));
    const done = entry.direction === 'up' ? 'recorded as applied' : 'recorded as rolled back';
    const next = entry.direction === 'up' ? 'stepstone upgrade' : 'stepstone rollback';
    const message =
      (action === 'complete' ? `${entry.name} ${done}` : `${entry.name} cleared; \`${next}\` runs it again`) +
      (option.sql.length ? ` (ran: ${option.sql.join('; ')})` : '') +
      (freedLock ? "; Knex's lock row the interrupted run left set was released" : '') +
      '.';
    const historyId = await recordHistory(db.knex, db.names, db.context.identity, {
      operation: 'repair',
      outcome: 'succeeded',
      startedAt,
      durationMs: performance.now() - t0,
      headBefore,
      headAfter,
      plan: null,
      steps:
        action === 'complete'
          ? [{ name: entry.name, direction: entry.direction, outcome: entry.direction === 'up' ? 'stamped' : 'reverted', durationMs: null, error: null }]
          : [],
      error: null,
      details: { migration: entry.name, direction: entry.direction, action, sql: option.sql, found: entry.summary, journalId: entry.id, freedLock },
    });
    return { name: entry.name, action, sql: option.sql, message, historyId };
  } finally {
    await lock.release();
  }
}
