/** Connections: app info, saved profiles, the active profile and password prompts. */
import type { ConnectionsSlice, SliceContext } from './types';
import { errorInfo } from '../../shared/errors';
import { painted } from '../format/after-paint';

/** How long the status may take before the folder's files are listed in the meantime. */
export const LISTING_AFTER_MS = 200;

/** Build the connections part of the store. */
export function createConnectionsSlice({ set, get, client }: SliceContext): ConnectionsSlice {
  /**
   * Load what belongs to the active profile: the timeline's status first, with the folder listing
   * (shown until the status is in) when the status is slow; then the history of its events, the
   * backups and the drift check. Asked together, the history's own connection and ledger read
   * competed with the status on the server (one thread): the status of 10,000 migrations answered
   * in 2–3× its time alone, and the first row waited for it.
   */
  async function loadActive(): Promise<void> {
    const state = get();
    // The listing is for a status that takes long (an embedded database starting: seconds), so it
    // is asked only when the status has not answered within LISTING_AFTER_MS. Asked at once, a big
    // project's listing (10,000 names) was read and sent beside the status by the server, and when
    // it won by a moment the page rendered and laid out the listed rows just before replacing them.
    const listing = setTimeout(() => void state.refreshListing(), LISTING_AFTER_MS);
    await state.refreshStatus();
    clearTimeout(listing);
    // After the status's rows are painted: asked at once, these calls and their loading flags'
    // renders ran in the same task as the timeline's first render, before the browser could paint it.
    await painted();
    await Promise.all([state.refreshHistory(), state.refreshBackups(), state.refreshDrift()]);
  }

  return {
    info: null,
    fatal: null,
    unauthorised: false,
    profiles: [],
    profilesError: null,
    activeProfileId: null,
    passwordPromptFor: null,
    projectWarnings: null,

    async init() {
      // Both at once: the profiles do not depend on the app's info.
      const [info, listed] = await Promise.all([client.invoke('app:info', {}), client.invoke('profiles:list', {})]);
      if (!info.ok) {
        if (info.error.code === 'UNAUTHORISED') set({ unauthorised: true });
        else set({ fatal: info.error });
        return;
      }
      const profiles = listed.ok ? listed.value : [];
      // One state change, in the same turn as the first profile's requests go out: the shell's
      // first full render (a store change renders synchronously) then runs while they travel.
      set({ info: info.value, profiles, profilesError: listed.ok ? null : listed.error });
      const first =
        profiles.find((p) => p.id === info.value.initialProfileId) ?? profiles.find((p) => p.builtIn) ?? profiles[0];
      if (first) await get().openProfile(first.id);
    },

    async loadProfiles() {
      const result = await client.invoke('profiles:list', {});
      if (result.ok) set({ profiles: result.value, profilesError: null });
      else set({ profilesError: result.error });
    },

    async openProfile(profileId) {
      // A running plan keeps going (docked): its dialog and result belong to the run, not to the view.
      set({
        activeProfileId: profileId,
        status: null,
        listing: null,
        statusError: null,
        drift: null,
        driftError: null,
        history: [],
        historyError: null,
        backups: [],
        leftovers: null,
        backupsError: null,
        selectedName: null,
        sources: {},
        previews: {},
        rollbackChecks: {},
        evidence: {},
        runEvidence: {},
        verifications: {},
        verifyProgress: {},
        knownTransactional: {},
        passwordPromptFor: null,
        ready: false,
        statusCheckedAt: null,
      });
      // The timeline follows the disk: the service watches this profile's folders and tells every window.
      void client.invoke('migrations:watch', { profileId });
      await loadActive();
    },

    async saveProfile(profile, password) {
      const result = await client.invoke('profiles:save', { profile, password });
      if (result.ok) await get().loadProfiles();
      return result;
    },

    async deleteProfile(profileId) {
      const result = await client.invoke('profiles:delete', { profileId });
      if (!result.ok) return result;
      await get().loadProfiles();
      if (get().activeProfileId === profileId) {
        const next = get().profiles.find((p) => p.builtIn) ?? get().profiles[0];
        if (next) await get().openProfile(next.id);
        else set({ activeProfileId: null, status: null, ready: false });
      }
      return result;
    },

    testProfile(request) {
      return client.invoke('profiles:test', request);
    },

    async providePassword(profileId, password) {
      const result = await client.invoke('profiles:provide-password', { profileId, password });
      if (!result.ok) return result.error;
      if (!result.value.ok) return errorInfo('AUTH_FAILED', 'The server refused that password.', { hint: 'Check it and try again.' });
      set({ passwordPromptFor: null });
      if (get().activeProfileId === profileId) await loadActive();
      return null;
    },

    dismissPasswordPrompt() {
      set({ passwordPromptFor: null });
    },

    async openProject(folder) {
      const result = await client.invoke('projects:open', folder ? { folder } : {});
      if (result.ok && result.value.knexfile !== null) {
        const { knexfile, warnings } = result.value;
        set({ projectWarnings: warnings.length ? { knexfile, warnings } : null });
        await get().loadProfiles();
        const first = result.value.profiles[0];
        if (first) await get().openProfile(first.id);
      }
      return result;
    },

    dismissProjectWarnings() {
      set({ projectWarnings: null });
    },

    parseConnectionUrl(url) {
      return client.invoke('profiles:parse-url', { url });
    },

    markUnauthorised() {
      set({ unauthorised: true });
    },
  };
}
