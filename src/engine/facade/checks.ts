/** Façade: checks across databases and migrations — compare two environments, prove rollbacks on a shadow. */
import type { CompareReport } from '../../shared/compare';
import type { MigrationSettings } from '../../shared/profile';
import type { VerifyRollbacksReport } from '../../shared/verify';
import type { StoredRollbackCheck } from '../verify/rollback-check-store';
import type { NamedTarget } from '../compare/compare-environments';
import type { ConnectionTarget } from '../connection/connection-target';
import type { EngineContext } from '../engine-context';
import type { VerifyRollbacksOptions } from '../verify/verify-rollbacks';

/** The compare and verify operations of `createEngine`. */
export function checkOperations(context: EngineContext) {
  return {
    /** Two databases side by side: applied sets, checksum differences, the schema difference; an unreachable side explained. */
    async compareEnvironments(left: NamedTarget, right: NamedTarget): Promise<CompareReport> {
      return (await import('../compare/compare-environments')).compareEnvironments(left, right, context);
    },

    /** Each migration's up → down → up on a shadow database (never the target), compared by schema. */
    async verifyRollbacks(target: ConnectionTarget, options: Omit<VerifyRollbacksOptions, 'context'> = {}): Promise<VerifyRollbacksReport> {
      return (await import('../verify/verify-rollbacks')).verifyRollbacks(target, { ...options, context });
    },

    /** The latest rollback check of each migration of a project, by name, from the data folder. */
    async readRollbackChecks(dataDir: string, settings: MigrationSettings): Promise<Record<string, StoredRollbackCheck>> {
      return (await import('../verify/rollback-check-store')).readRollbackChecks(dataDir, settings);
    },

    /** Keep a rollback check's results in the data folder, for the app's timeline. */
    async recordRollbackChecks(dataDir: string, settings: MigrationSettings, report: VerifyRollbacksReport): Promise<void> {
      return (await import('../verify/rollback-check-store')).recordRollbackChecks(dataDir, settings, report);
    },
  };
}
