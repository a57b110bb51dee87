/**
 * Verifying a backup: restore it into a scratch database, fingerprint every table there and
 * compare with what the catalogue recorded at backup time, then drop the scratch database.
 */
import type { VerifyResult } from '../../shared/backup';
import type { ConnectionTarget } from '../connection/connection-target';
import { createEngineContext } from '../engine-context';
import { isStepstoneError } from '../errors';
import { closeQuietly, openCopySession } from './copy-session';
import { restoreBackup, type RestoreBackupOptions } from './restore-backup';
import { dropDatabaseQuietly, scratchDatabaseName } from './scratch-database';
import { fingerprintDatabase } from './table-fingerprint';

export type VerifyBackupOptions = Omit<RestoreBackupOptions, 'intoDatabase' | 'replaceExisting' | 'beforeTable'>;

/** Stepstone's own log tables: Stepstone writes them around a backup (its own history row), so they are left out of the comparison on both sides. */
const BOOKKEEPING = new Set(['stepstone_history', 'stepstone_schema_snapshots', 'stepstone_run_evidence', 'stepstone_nontransactional_runs']);

function isStepstoneBookkeeping(label: string): boolean {
  return BOOKKEEPING.has(label.slice(label.lastIndexOf('.') + 1));
}

/** Restores `backupId` into a scratch database and compares per-table row counts and hashes. */
export async function verifyBackup(target: ConnectionTarget, backupId: string, options: VerifyBackupOptions): Promise<VerifyResult> {
  const scratch = scratchDatabaseName();
  const context = options.context ?? createEngineContext();
  try {
    let restored;
    try {
      restored = await restoreBackup(target, backupId, { ...options, context, intoDatabase: scratch, purpose: 'verify' });
    } catch (error) {
      // A damaged or unrestorable backup is a verification result, not an engine failure.
      if (isStepstoneError(error) && ['BACKUP_CORRUPT', 'RESTORE_FAILED'].includes(error.code)) {
        return { ok: false, tables: [], message: error.message };
      }
      throw error;
    }
    const client = await openCopySession(target, context, 'verify', scratch);
    let actual;
    try {
      options.onLog?.('Reading every restored table to compare it…');
      actual = new Map((await fingerprintDatabase(client)).map((f) => [f.table, f]));
    } finally {
      await closeQuietly(client);
    }
    const tables = restored.backup.tables.filter((t) => !isStepstoneBookkeeping(t.table)).map((expected) => {
      const found = actual.get(expected.table);
      return {
        table: expected.table,
        expectedRows: expected.rows,
        actualRows: found?.rows ?? null,
        expectedHash: expected.hash,
        actualHash: found?.hash ?? null,
        ok: found !== undefined && found.rows === expected.rows && found.hash === expected.hash,
      };
    });
    const bad = tables.filter((t) => !t.ok);
    const extra = [...actual.keys()].filter((name) => !isStepstoneBookkeeping(name) && !restored.backup.tables.some((t) => t.table === name));
    const ok = bad.length === 0 && extra.length === 0;
    options.onLog?.(`Compared ${tables.length} tables with what the backup recorded (Stepstone's own history and snapshots are not compared).`);
    const message = ok
      ? `Backup ${backupId} verified: ${tables.length} tables, ${tables.reduce((n, t) => n + t.expectedRows, 0)} rows match.`
      : [
          bad.length ? `${bad.length} table(s) differ from what was recorded: ${bad.map((t) => t.table).join(', ')}.` : '',
          extra.length ? `Tables not recorded at backup time: ${extra.join(', ')}.` : '',
        ].filter(Boolean).join(' ');
    return { ok, tables, message };
  } finally {
    await dropDatabaseQuietly(target, scratch, options.onLog, context);
  }
}
