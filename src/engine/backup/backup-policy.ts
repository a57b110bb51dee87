/**
 * The automatic backup before an upgrade or rollback, decided in one place: on by default, a
 * per-profile switch, always on for production, never for the embedded demo. The plan carries the
 * decision for the shells to show; the run takes the backup under its lock, so the head it records
 * is the one migrated from.
 */
import type { BackupDecision, Plan } from '../../shared/plan';
import type { Profile } from '../../shared/profile';
import type { ConnectionTarget } from '../connection/connection-target';
import type { EngineContext } from '../engine-context';
import { StepstoneError, isStepstoneError, messageOf } from '../errors';
import type { PgToolSearchOptions } from './take-backup';

/** Where backups go and how they are taken, after the settings file and any command-line overrides. */
export interface BackupPolicy {
  dataDir: string;
  backupsDir?: string;
  method?: 'pg_dump' | 'builtin' | 'auto';
  /** Where to look for pg_dump (a path in settings, or an empty search to hide it). */
  pgTools?: PgToolSearchOptions;
  retention?: number;
  onLog?: (message: string) => void;
  /** Where warnings go (a backups folder others can read); default: `onLog`. */
  onWarning?: (message: string) => void;
}

/** Whether a run on `profile` backs up first, and why; a skip asked for on production is refused (BACKUP_REQUIRED). */
export function decideBackup(profile: Pick<Profile, 'environment' | 'kind' | 'backupBeforeMigrate'>, options: { skip?: boolean } = {}): BackupDecision {
  const production = profile.environment === 'production';
  if (production && options.skip) {
    throw new StepstoneError('BACKUP_REQUIRED', 'Skipping the backup is refused on a production database: a backup is always taken first.');
  }
  if (profile.kind === 'embedded') return { take: false, reason: 'The embedded demo database is not backed up.' };
  if (production) return { take: true, reason: 'Production: a backup is always taken first.' };
  if (options.skip) return { take: false, reason: 'The backup is skipped for this run, as asked.' };
  if (profile.backupBeforeMigrate === false) return { take: false, reason: 'Backups before migrating are turned off for this connection.' };
  return { take: true, reason: 'This connection backs up before every upgrade and rollback.' };
}

/** An `executePlan` `beforeRun` hook taking the backup the decision asks for, or undefined when it asks for none. */
export function backupBeforeRun(
  target: ConnectionTarget,
  decision: BackupDecision,
  policy: BackupPolicy,
  context: EngineContext,
): ((plan: Plan) => Promise<{ backupId: string }>) | undefined {
  if (!decision.take) return undefined;
  return async (plan) => {
    const operation = plan.direction === 'up' ? 'upgrade' : 'rollback';
    policy.onLog?.(`Backing up before the ${operation}…`);
    try {
      // Loaded only when a backup is due: runs without one keep the backup code (and zod) out of start-up.
      const { takeBackup } = await import('./take-backup');
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
        context,
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
