/**
 * `migrations:*`: status, plans, execution with progress and cancel, sources and new files.
 * Execution checks the production confirmation, takes the pre-migration backup when the profile
 * asks for one (always for production), and streams progress as `migrations:progressed`.
 */
import type { Plan, Profile } from '../shared/contract';
import { StepstoneError } from '../engine/errors';
import type { ConnectionTarget } from '../engine/connection/connection-target';
import type { ExecuteOptions } from './engine-port';
import type { HandlerMap, ServiceContext } from './handler-types';
import { requireConfirmation, requireWritable } from './production-guard';

/** Handlers of the migrations domain (dry-run and SQL live with the schema handlers). */
export function migrationHandlers({ deps, engine, profiles, runs }: ServiceContext) {
  function wantsBackup(profile: Profile, skipBackup: boolean | undefined): boolean {
    if (profile.environment === 'production') {
      if (skipBackup) {
        throw new StepstoneError('BACKUP_REQUIRED', `"${profile.name}" is a production profile: a backup is always taken before migrating.`, {
          hint: 'Run it with the backup, or mark the profile as another environment if it is not production.',
        });
      }
      return true;
    }
    return profile.backupBeforeMigrate && !skipBackup;
  }

  function backupStep(profile: Profile, target: ConnectionTarget, plan: Plan, runId: string): ExecuteOptions['beforeRun'] {
    return async () => {
      const backup = await engine.takeBackup(
        { dataDir: deps.dataDir, profile, target, onProgress: (message) => deps.emit({ type: 'backups:progressed', runId, message }) },
        { operation: plan.direction === 'up' ? 'upgrade' : 'rollback' },
      );
      return { backupId: backup.id };
    };
  }

  return {
    'migrations:status': async ({ profileId }) => profiles.withDatabase(profileId, 'status', (db) => engine.getStatus(db)),

    'migrations:plan': async ({ profileId, request }) => profiles.withDatabase(profileId, 'plan', (db) => engine.makePlan(db, request)),

    'migrations:execute': async ({ profileId, plan, runId, confirmation, skipBackup }) => {
      const profile = await profiles.require(profileId);
      requireWritable(profile, plan.direction === 'up' ? 'upgrading' : 'rolling back');
      const target = await profiles.targetFor(profile);
      requireConfirmation(profile, engine.databaseNameOf(target), confirmation, plan.direction === 'up' ? 'an upgrade' : 'a rollback');
      const beforeRun = wantsBackup(profile, skipBackup) ? backupStep(profile, target, plan, runId) : undefined;
      const controller = runs.start(runId);
      try {
        const db = await engine.openDatabase(target, { operation: plan.direction === 'up' ? 'upgrade' : 'rollback' });
        try {
          return await engine.executePlan(db, plan, {
            signal: controller.signal,
            onProgress: (event) => deps.emit({ type: 'migrations:progressed', runId, event }),
            beforeRun,
          });
        } finally {
          await db.close();
        }
      } finally {
        runs.finish(runId);
      }
    },

    'migrations:cancel': async ({ runId }) => ({ cancelling: runs.cancel(runId) }),

    'migrations:source': async ({ profileId, name }) => {
      const profile = await profiles.require(profileId);
      return engine.readMigrationSource(profile.migrations, name);
    },

    'migrations:create': async ({ profileId, name, language }) => {
      const profile = await profiles.require(profileId);
      return engine.createMigration(profile.migrations, name, { language });
    },

    'migrations:open-in-editor': async ({ profileId, name }) => {
      if (!deps.openInEditor) return { opened: false };
      const profile = await profiles.require(profileId);
      const { path } = await engine.readMigrationSource(profile.migrations, name);
      await deps.openInEditor(path);
      return { opened: true };
    },
  } satisfies HandlerMap;
}
