/** Status of the active profile: migrations, lock, drift, new migrations. */
import type { SliceContext, StatusSlice } from './types';
import { errorInfo } from '../../shared/errors';

/** Build the status part of the store. */
export function createStatusSlice({ set, get, client, now, latest }: SliceContext): StatusSlice {
  return {
    status: null,
    listing: null,
    statusLoading: false,
    statusError: null,
    ready: false,
    drift: null,
    driftError: null,
    knownTransactional: {},
    statusCheckedAt: null,

    async refreshStatus() {
      const profileId = get().activeProfileId;
      if (!profileId) return;
      const newest = latest('status');
      set({ statusLoading: true });
      const result = await client.invoke('migrations:status', { profileId });
      if (!newest() || get().activeProfileId !== profileId) return; // a newer read is coming, or the user moved on
      if (result.ok) {
        set({ status: result.value, listing: null, statusError: null, statusLoading: false, ready: true, statusCheckedAt: now() });
        return;
      }
      set({
        statusError: result.error,
        statusLoading: false,
        passwordPromptFor: result.error.code === 'PASSWORD_REQUIRED' ? profileId : get().passwordPromptFor,
      });
    },

    async refreshListing() {
      const profileId = get().activeProfileId;
      if (!profileId) return;
      const result = await client.invoke('migrations:files', { profileId });
      // Only until the status is in: it covers every file, with its state. A failure here is
      // reported by the status (same folder), so it is not shown twice.
      if (get().activeProfileId !== profileId || get().status !== null || !result.ok) return;
      set({ listing: result.value.files.map((f) => f.name) });
    },

    async refreshAll() {
      const state = get();
      await Promise.all([state.refreshStatus(), state.refreshHistory(), state.refreshBackups(), state.refreshDrift()]);
    },

    async folderChanged(profileId, names) {
      if (get().activeProfileId !== profileId) return;
      // The files' text and what a dry run of them says may have changed: read them again when shown.
      const sources = { ...get().sources };
      if (names.length === 0) for (const key of Object.keys(sources)) delete sources[key];
      else for (const name of names) delete sources[name];
      // Lint findings too; rollback checks carry their file's checksum and stay.
      set({ sources, previews: {}, lint: { data: null, loading: false, error: null, profileId: null } });
      await get().refreshStatus();
    },

    async refreshDrift() {
      const profileId = get().activeProfileId;
      if (!profileId) return;
      const newest = latest('drift');
      const result = await client.invoke('schema:drift', { profileId });
      if (!newest() || get().activeProfileId !== profileId) return;
      if (result.ok) set({ drift: result.value, driftError: null });
      else set({ drift: null, driftError: result.error });
    },

    async releaseLock(force) {
      const profileId = get().activeProfileId;
      if (!profileId) return null;
      const result = await client.invoke('lock:release', { profileId, force });
      await Promise.all([get().refreshStatus(), get().refreshHistory()]);
      return result.ok ? null : result.error;
    },

    async createMigration(name, language) {
      const profileId = get().activeProfileId;
      if (!profileId) return { ok: false, error: errorInfo('NO_PROFILE', 'Open a connection first.') };
      const result = await client.invoke('migrations:create', { profileId, name, language });
      if (result.ok) {
        await get().refreshStatus();
        get().select(result.value.name);
      }
      return result;
    },

    async openInEditor(name) {
      const profileId = get().activeProfileId;
      if (!profileId) return null;
      const result = await client.invoke('migrations:open-in-editor', { profileId, name });
      return result.ok ? null : result.error;
    },

    learnTransactional(entries) {
      if (entries.length === 0) return;
      const next = { ...get().knownTransactional };
      for (const entry of entries) next[entry.name] = entry.transactional;
      set({ knownTransactional: next });
    },
  };
}
