/**
 * Repairs of non-transactional migrations a dead run left half-done (the user chooses: drop what it
 * left and run it again, or record it as done), and the clean-up of what interrupted backups and
 * restores left. The engine decides what fits; the store asks, then reads the state again.
 */
import type { Leftovers } from '../../shared/contract';
import { errorInfo } from '../../shared/errors';
import { plural } from '../format/format';
import type { RepairSlice, SliceContext } from './types';

/** "Dropped 1 database (restore_x); removed 2 partial files." or "Nothing was stale: …". */
export function cleanupMessage(result: Leftovers): string {
  const done: string[] = [];
  if (result.droppedDatabases.length) done.push(`dropped ${plural(result.droppedDatabases.length, 'database')} (${result.droppedDatabases.join(', ')})`);
  if (result.removedPartialFiles) done.push(`removed ${plural(result.removedPartialFiles, 'partial backup file')}`);
  const kept = result.databases.length + result.partialFiles.length;
  const left = kept ? ` ${plural(kept, 'leftover')} still in use by a running process ${kept === 1 ? 'was' : 'were'} kept.` : '';
  if (!done.length) return `Nothing to clean up: no leftover's creator is gone.${left}`;
  const sentence = done.join('; ');
  return `${sentence[0].toUpperCase()}${sentence.slice(1)}.${left}`;
}

/** Build the repair part of the store. */
export function createRepairSlice({ set, get, client }: SliceContext): RepairSlice {
  return {
    repairFor: null,
    repairNotice: null,

    openRepair(name) {
      set({ repairFor: name });
    },

    closeRepair() {
      set({ repairFor: null });
    },

    async repairMigration(name, action, confirmation) {
      const profileId = get().activeProfileId;
      if (!profileId) return errorInfo('NO_PROFILE', 'Open a connection first.');
      const result = await client.invoke('migrations:repair', { profileId, name, action, confirmation });
      // Refused or done, the state may have moved (another process repaired it meanwhile): read it again either way.
      await Promise.all([get().refreshStatus(), get().refreshHistory(), get().refreshDrift()]);
      if (!result.ok) return result.error;
      set({ repairNotice: { profileId, message: result.value.message } });
      return null;
    },

    async cleanupLeftovers() {
      const profileId = get().activeProfileId;
      if (!profileId) return errorInfo('NO_PROFILE', 'Open a connection first.');
      const result = await client.invoke('backups:cleanup', { profileId });
      await get().refreshBackups();
      if (!result.ok) return result.error;
      set({ repairNotice: { profileId, message: cleanupMessage(result.value) } });
      return null;
    },

    dismissRepairNotice() {
      set({ repairNotice: null });
    },
  };
}
