/** `backups:*`: the catalogue of a profile's backups; restore needs the name typed on production. */
import type { Profile } from '../shared/contract';
import type { ConnectionTarget } from '../engine/connection/connection-target';
import type { BackupScope } from './engine-port';
import type { HandlerMap, ServiceContext } from './handler-types';
import { requireConfirmation, requireWritable } from './production-guard';
import { StepstoneError } from '../engine/errors';

/** Handlers of the backups domain. */
export function backupHandlers({ deps, engine, profiles }: ServiceContext) {
  async function scopeOf(profileId: string, runId?: string): Promise<BackupScope & { profile: Profile; target: ConnectionTarget }> {
    const profile = await profiles.require(profileId);
    const target = await profiles.targetFor(profile);
    const onProgress = runId ? (message: string) => deps.emit({ type: 'backups:progressed', runId, message }) : undefined;
    return { dataDir: deps.dataDir, profile, target, onProgress };
  }

  return {
    'backups:list': async ({ profileId }) => engine.listBackups(await scopeOf(profileId)),

    'backups:create': async ({ profileId, method, runId }) => engine.takeBackup(await scopeOf(profileId, runId), { method }),

    'backups:restore': async ({ profileId, backupId, intoDatabase, confirmation, runId }) => {
      const scope = await scopeOf(profileId, runId);
      // Restoring into a new database leaves the profile's own untouched, so it needs no confirmation.
      if (intoDatabase === undefined) {
        requireWritable(scope.profile, 'restoring a backup over its database');
        requireConfirmation(scope.profile, engine.databaseNameOf(scope.target), confirmation, 'a restore');
      }
      return engine.restoreBackup(scope, backupId, { intoDatabase });
    },

    'backups:verify': async ({ profileId, backupId, runId }) => engine.verifyBackup(await scopeOf(profileId, runId), backupId),

    'backups:reveal': async ({ profileId, backupId }) => {
      if (!deps.showInFolder) return { shown: false };
      const backup = (await engine.listBackups(await scopeOf(profileId))).find((b) => b.id === backupId);
      if (!backup) throw new StepstoneError('BACKUP_NOT_FOUND', `No backup ${backupId} in this connection's catalogue.`, { hint: 'Refresh the Backups list.' });
      deps.showInFolder(backup.file);
      return { shown: true };
    },

    'backups:delete': async ({ profileId, backupId }) => ({ deleted: await engine.deleteBackup(await scopeOf(profileId), backupId) }),
  } satisfies HandlerMap;
}
