/**
 * The automatic backup before an upgrade or rollback: on by default, a per-profile switch,
 * always on for production. Runs under the run's lock, so the head it records is the one migrated from.
 */
import type { Plan } from '../../shared/domain';
import type { ConnectionTarget } from '../connection/connection-target';
import { StepstoneError, isStepstoneError, messageOf } from '../errors';
import type { PgToolSearchOptions } from '../backup/take-backup';

export interface BackupPolicy {
  dataDir: string;
  backupsDir?: string;
  method?: 'pg_dump' | 'builtin' | 'auto';
  /** Where to look for pg_dump (a path in settings, or an empty search to hide it). */
  pgTools?: PgToolSearchOptions;
  retention?: number;
  /** The user asked to skip it (refused on production). */
  skip?: boolean;
  onLog?: (message: string) => void;
  /** Where warnings go (a backups folder others can read); default: `onLog`. */
  onWarning?: (message: string) => void;
}

/** Whether this run backs up first; refuses a skip on production. */
export function backupRequired(target: ConnectionTarget, policy: Pick<BackupPolicy, 'skip'>): boolean {
  const production = target.profile.environment === 'production';
  if (production && policy.skip) {
    throw new StepstoneError('BACKUP_REQUIRED', 'Skipping the backup is refused on a production database: a backup is always taken first.');
  }
  if (target.profile.kind === 'embedded') return false;
  return production || (!policy.skip && target.profile.backupBeforeMigrate !== false);
}

/** An `executePlan` `beforeRun` hook taking the backup, or undefined when none is due. */
export function backupBeforeRun(target: ConnectionTarget, policy: BackupPolicy): ((plan: Plan) => Promise<{ backupId: string }>) | undefined {
  if (!backupRequired(target, policy)) return undefined;
  return async (plan) => {
    const operation = plan.direction === 'up' ? 'upgrade' : 'rollback';
    policy.onLog?.(`Backing up before the ${operation}…`);
    try {
      // Loaded only when a backup is due: runs without one keep the backup code (and zod) out of start-up.
      const { takeBackup } = await import('../backup/take-backup');
      const backup = await takeBackup(target, {
        dataDir: policy.dataDir,
        backupsDir: policy.backupsDir,
        method: policy.method ?? 'auto',
        ...policy.pgTools,
        retention: policy.retention,
        operation,
        trigger: { operation, steps: plan.steps.length, headBefore: plan.headBefore, headAfter: plan.headAfter },
        head: plan.headBefore,
        profileId: target.profile.id,
        onLog: policy.onLog,
        onWarning: policy.onWarning,
      });
      policy.onLog?.(`Backup ${backup.id} (${backup.method}, ${backup.sizeBytes} bytes) → ${backup.file}`);
      return { backupId: backup.id };
    } catch (error) {
      // The migration does not start without its backup.
      const cause = isStepstoneError(error) ? error.message : messageOf(error);
      throw new StepstoneError('BACKUP_FAILED', `The backup before the ${operation} failed, so nothing was migrated: ${cause}`, {
        hint: isStepstoneError(error) && error.hint ? error.hint : 'Fix the cause (backups folder, disk space, pg_dump) or, outside production, skip the backup.',
        cause: error,
      });
    }
  };
}
