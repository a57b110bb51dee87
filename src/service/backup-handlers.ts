/** `backups:*`: the catalogue of a profile's backups; restore needs the name typed on production. */
import type { Profile } from '../shared/contract';
import { type BackupPlace, type ConnectionTarget, StepstoneError } from '../engine';
import type { HandlerMap, ServiceContext } from './handler-types';
import { requireWritable } from './production-guard';

/** Handlers of the backups domain. */
export function backupHandlers({ deps, engine, profiles }: ServiceContext) {
  // Backups live under the data folder, with its settings (settings.json, environment) applied by the engine.
  const place: BackupPlace = { dataDir: deps.dataDir };

  async function scopeOf(profileId: string, runId?: string): Promise<{ profile: Profile; target: ConnectionTarget; onLog?: (message: string) => void }> {
    const profile = await profiles.require(profileId);
    const target = await profiles.targetFor(profile);
    const onLog = runId ? (message: string) => deps.emit({ type: 'backups:progressed', runId, message }) : undefined;
    return { profile, target, onLog };
  }

  return {
    'backups:list': async ({ profileId }) => {
      const { profile, target } = await scopeOf(profileId);
      // Stale partial files stay listed as leftovers until Clean up removes them (nothing disappears unseen).
      return engine.listBackups(target, place, { profileId: profile.id, keepPartialFiles: true });
    },

    // What killed backups, restores and dry runs left: a look only (Clean up below removes them).
    'backups:leftovers': async ({ profileId }) => {
      const { target } = await scopeOf(profileId);
      return engine.leftovers(target, place, { clean: false });
    },

    // Only what Stepstone itself left and whose creator is gone: the profile's database is never touched, so no confirmation.
    'backups:cleanup': async ({ profileId }) => {
      const { target } = await scopeOf(profileId);
      return engine.leftovers(target, place, { clean: true });
    },

    'backups:create': async ({ profileId, method, runId }) => {
      const { target, onLog } = await scopeOf(profileId, runId);
      return engine.takeBackup(target, place, { method, onLog });
    },

    'backups:restore': async ({ profileId, backupId, intoDatabase, confirmation, runId }) => {
      const { profile, target, onLog } = await scopeOf(profileId, runId);
      // Restoring into a new database leaves the profile's own untouched, so it needs no confirmation.
      if (intoDatabase === undefined) {
        requireWritable(profile, 'restoring a backup over its database');
        engine.requireConfirmation(target, confirmation, 'a restore');
      }
      return engine.restoreBackup(target, place, backupId, { intoDatabase, onLog });
    },

    'backups:verify': async ({ profileId, backupId, runId }) => {
      const { target, onLog } = await scopeOf(profileId, runId);
      return engine.verifyBackup(target, place, backupId, { onLog });
    },

    'backups:reveal': async ({ profileId, backupId }) => {
      if (!deps.showInFolder) return { shown: false };
      const { profile, target } = await scopeOf(profileId);
      const backup = (await engine.listBackups(target, place, { profileId: profile.id })).find((b) => b.id === backupId);
      if (!backup) throw new StepstoneError('BACKUP_NOT_FOUND', `No backup ${backupId} in this connection's catalogue.`, { hint: 'Refresh the Backups list.' });
      deps.showInFolder(backup.file);
      return { shown: true };
    },

    'backups:delete': async ({ profileId, backupId }) => {
      await profiles.require(profileId);
      await engine.deleteBackup(place, backupId);
      return { deleted: true };
    },
  } satisfies HandlerMap;
}
