/** Façade: the migrations of a database — status, plans with the engine's decisions, runs, history, the lock. */
import type { AppliedEvidence, RunEvidence } from '../../shared/evidence';
import type { HistoryEntry, Operation } from '../../shared/history';
import type { InterruptedMigration, RepairAction, RepairResult } from '../../shared/interrupted-migration';
import type { LockState } from '../../shared/lock';
import type { BackupDecision, Plan, PlanRequest } from '../../shared/plan';
import type { Profile } from '../../shared/profile';
import type { ProgressEvent, RunOutcome, RunResult } from '../../shared/run';
import type { MigrationStatus } from '../../shared/status';
import { backupBeforeRun, decideBackup } from '../backup/backup-policy';
import { type PlanTarget, planRequestOf } from '../plan/plan-request';
import type { EngineContext } from '../engine-context';
import { type BackupPlace, backupPolicyOf } from './backup-place';
import { type DbSession, dbOf, readSessionOf } from './session';

/** Filters of the audit log. */
export interface HistoryFilter {
  operation?: Operation;
  outcome?: RunOutcome;
  limit?: number;
}

/** How one plan is run. */
export interface RunOptions {
  /** The backup decision for this run (`decideBackup`, which refuses a skip on production). */
  backup: BackupDecision;
  /** Where the backup goes, when one is taken. */
  backups: BackupPlace;
  /** Notes of the backup as it runs. */
  onBackupLog?: (message: string) => void;
  /** Warnings of the backup (a backups folder others can read); default: `onBackupLog`. */
  onBackupWarning?: (message: string) => void;
  /** One event per migration transition. */
  onProgress?: (event: ProgressEvent) => void;
  /** Aborting cancels the run (one transaction rolls back; per migration stops after the current one). */
  signal?: AbortSignal;
}

/** The migration operations of `createEngine`. */
export function migrationOperations(context: EngineContext) {
  return {
    /** Whether a run on `profile` backs up first, and why: the one backup rule. BACKUP_REQUIRED for a skip on production. */
    decideBackup: (profile: Pick<Profile, 'environment' | 'kind' | 'backupBeforeMigrate'>, options: { skip: boolean }): BackupDecision => decideBackup(profile, options),

    /** The request a shell's choices make (`--to`, `--step`, `--all`); INVALID_INPUT when they do not go together. */
    planRequest: (kind: PlanRequest['kind'], target: PlanTarget): PlanRequest => planRequestOf(kind, target),

    /** Applied, pending, missing, edited, out-of-order migrations and the lock, read in a READ ONLY transaction. */
    async getStatus(session: DbSession): Promise<MigrationStatus> {
      return (await import('../status/get-status')).getStatus(readSessionOf(session));
    },

    /** Knex's lock row and who (if anyone) holds it. */
    async readLockState(session: DbSession): Promise<LockState> {
      return (await import('../lock/release-lock')).readLockState(dbOf(session));
    },

    /**
     * The plan for a request, carrying the engine's decisions: steps, batch, transaction mode, the backup
     * and why; a production upgrade also the promotion guard's (off with `promotion: false`).
     */
    async makePlan(session: DbSession, request: PlanRequest, options: { skipBackup?: boolean; promotion?: boolean } = {}): Promise<Plan> {
      return (await import('../plan/make-plan')).makePlan(dbOf(session), request, options);
    },

    /** Run exactly `plan` (PLAN_STALE if the database or files moved); the backup first when the decision says so. */
    async executePlan(session: DbSession, plan: Plan, options: RunOptions): Promise<RunResult> {
      const db = dbOf(session);
      const { executePlan } = await import('../run/execute-plan');
      const beforeRun = options.backup.take
        ? async (planned: Plan) => {
            // Settings are read when the backup is due (a run without one never reads them).
            const policy = await backupPolicyOf(options.backups, context, { onLog: options.onBackupLog, onWarning: options.onBackupWarning });
            return backupBeforeRun(db.target, options.backup, policy, context)!(planned);
          }
        : undefined;
      return executePlan(db, plan, { signal: options.signal, onProgress: options.onProgress, beforeRun });
    },

    /** A run's kept evidence (SQL, sources, log, schema change), by history entry; null when none was kept. */
    async runEvidence(session: DbSession, historyId: number): Promise<RunEvidence | null> {
      return (await import('../evidence/read-evidence')).readRunEvidence(dbOf(session), historyId);
    },

    /** The evidence of the latest run that applied `name`; null when none was kept. */
    async appliedEvidence(session: DbSession, name: string): Promise<AppliedEvidence | null> {
      return (await import('../evidence/read-evidence')).readAppliedEvidence(dbOf(session), name);
    },

    /** The audit log, newest first (empty for a database Stepstone never wrote to). */
    async listHistory(session: DbSession, filter: HistoryFilter = {}): Promise<HistoryEntry[]> {
      return (await import('../history/history-log')).listHistory(dbOf(session), filter);
    },

    /** Non-transactional migrations left half-done by an interrupted (or failed) run: what they left and the repairs offered. */
    async listInterrupted(session: DbSession): Promise<InterruptedMigration[]> {
      const entries = await (await import('../nontransactional/repair-interrupted')).listInterrupted(dbOf(session));
      return entries.map(({ batch: _batch, checksum: _checksum, ...shown }) => shown);
    },

    /**
     * Repair an interrupted non-transactional migration (the only one when `name` is left out): `retry` drops what it
     * left so the next run runs it again, `complete` records it as done. REPAIR_UNAVAILABLE (nothing changed) when the
     * state does not allow that choice; recorded in the history.
     */
    async repairInterrupted(session: DbSession, name: string | undefined, action: RepairAction): Promise<RepairResult> {
      return (await import('../nontransactional/repair-interrupted')).repairInterrupted(dbOf(session), name, action);
    },

    /** Free Knex's lock row: a stale one, or a live one with `force`; recorded in the history. NOT_LOCKED when free. */
    async releaseLock(session: DbSession, options: { force: boolean }): Promise<LockState> {
      return (await import('../lock/release-lock')).releaseLock(dbOf(session), options);
    },
  };
}
