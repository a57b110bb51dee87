/**
 * `migrations:*`: status, plans, execution with progress and cancel, sources and new files.
 * Execution checks the production confirmation, takes the pre-migration backup when the engine's
 * policy asks for one (always for production), and streams progress as `migrations:progressed`.
 */
import type { HandlerMap, ServiceContext } from './handler-types';
import { requireWritable } from './production-guard';

/** Handlers of the migrations domain (dry-run and SQL live with the schema handlers). */
export function migrationHandlers({ deps, engine, profiles, runs, sessions, watchers }: ServiceContext) {
  return {
    'migrations:status': async ({ profileId }) => {
      return profiles.withDatabase(
        profileId,
        'status',
        async (db, _profile, target) => {
          // What the window shows (StatusView): no file paths, no list of unchecked names.
          const { unchecked: _unchecked, pending, ...status } = await engine.getStatus(db);
          return { ...status, pending: pending.map(({ name, outOfOrder }) => ({ name, outOfOrder })), confirmation: engine.confirmationFor(target) };
        },
        'read',
      );
    },

    'migrations:repair': async ({ profileId, name, action, confirmation }) => {
      const profile = await profiles.require(profileId);
      requireWritable(profile, 'repairing a migration');
      const target = await profiles.targetFor(profile);
      engine.requireConfirmation(target, confirmation, 'a repair');
      // What fits and what it runs is the engine's to decide (REPAIR_UNAVAILABLE otherwise); it records the history.
      return sessions.use(target, 'repair', (db) => engine.repairInterrupted(db, name, action));
    },

    // From the folder alone: no password, no connection, no embedded database to start.
    'migrations:files': async ({ profileId }) => {
      const profile = await profiles.require(profileId);
      return { files: (await engine.listMigrationFiles(profile.migrations)).map((name) => ({ name })) };
    },

    'migrations:plan': async ({ profileId, request }) => profiles.withDatabase(profileId, 'plan', (db) => engine.makePlan(db, request)),

    'migrations:execute': async ({ profileId, plan, runId, confirmation, skipBackup }) => {
      const profile = await profiles.require(profileId);
      requireWritable(profile, plan.direction === 'up' ? 'upgrading' : 'rolling back');
      const target = await profiles.targetFor(profile);
      engine.requireConfirmation(target, confirmation, plan.direction === 'up' ? 'an upgrade' : 'a rollback');
      // Decided from the profile now (a skip on production is refused before connecting), never taken from the plan sent in.
      const backup = engine.decideBackup(profile, { skip: skipBackup ?? false });
      const controller = runs.start(runId);
      try {
        return await sessions.use(target, plan.direction === 'up' ? 'upgrade' : 'rollback', (db) =>
          engine.executePlan(db, plan, {
            backup,
            backups: { dataDir: deps.dataDir },
            onBackupLog: (message) => deps.emit({ type: 'backups:progressed', runId, message }),
            signal: controller.signal,
            onProgress: (event) => deps.emit({ type: 'migrations:progressed', runId, event }),
          }),
        );
      } finally {
        runs.finish(runId);
      }
    },

    'migrations:cancel': async ({ runId }) => ({ cancelling: runs.cancel(runId) }),

    'migrations:watch': async ({ profileId }) => ({ folders: watchers.watch(await profiles.require(profileId)) }),

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
