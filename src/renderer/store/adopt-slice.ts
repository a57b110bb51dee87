/**
 * Adoption and generated migrations in the app: the "Adopt it…" banner's facts, the baseline
 * previewed then written and stamped, and migrations generated from schema changes — previewed
 * (verified on a shadow database, nothing written) and then written exactly as reviewed.
 */
import type { AdoptSlice, SliceContext } from './types';
import { errorInfo } from '../../shared/errors';

export function createAdoptSlice({ set, get, client }: SliceContext): AdoptSlice {
  return {
    adoption: null,
    adopt: null,
    generator: null,

    async loadAdoption() {
      const profileId = get().activeProfileId;
      if (!profileId) return;
      const result = await client.invoke('schema:adoption', { profileId });
      if (get().activeProfileId !== profileId) return;
      set({ adoption: result.ok ? { profileId, state: result.value } : null });
    },

    openAdopt() {
      set({ adopt: { running: false, result: null, error: null } });
    },

    closeAdopt() {
      set({ adopt: null });
    },

    async previewBaseline(name) {
      const profileId = get().activeProfileId;
      if (!profileId || get().adopt?.running) return;
      set({ adopt: { running: true, result: null, error: null } });
      const result = await client.invoke('schema:baseline', { profileId, name, preview: true });
      if (!get().adopt) return;
      set({ adopt: result.ok ? { running: false, result: result.value, error: null } : { running: false, result: null, error: result.error } });
    },

    async commitBaseline(name, { force, confirmation }) {
      const profileId = get().activeProfileId;
      const previous = get().adopt;
      if (!profileId || !previous || previous.running) return false;
      set({ adopt: { ...previous, running: true, error: null } });
      const result = await client.invoke('schema:baseline', { profileId, name, force, preview: false, confirmation });
      if (!result.ok || result.value.status !== 'stamped') {
        const error = result.ok ? errorInfo('NOT_VERIFIED', 'The baseline no longer verifies: nothing was written. Look at the verification and try again.') : result.error;
        set({ adopt: { running: false, result: result.ok ? result.value : previous.result, error } });
        return false;
      }
      set({ adopt: { running: false, result: result.value, error: null } });
      await Promise.all([get().refreshAll(), get().loadAdoption()]);
      return true;
    },

    openGenerator(source) {
      set({ generator: { initialSource: source ?? null, running: false, request: null, preview: null, written: null, error: null } });
    },

    closeGenerator() {
      set({ generator: null });
    },

    async previewGenerate({ name, source, renames, force = false }) {
      const profileId = get().activeProfileId;
      const current = get().generator;
      if (!profileId || !current || current.running) return;
      const request = { name, source, renames, force };
      set({ generator: { ...current, running: true, request, error: null, written: null } });
      const result = await client.invoke('schema:generate', { profileId, ...request });
      const now = get().generator;
      if (!now) return;
      set({ generator: result.ok ? { ...now, running: false, preview: result.value, error: null } : { ...now, running: false, preview: null, error: result.error } });
    },

    async writeGenerated() {
      const profileId = get().activeProfileId;
      const current = get().generator;
      const previewId = current?.preview?.previewId;
      if (!profileId || !current || !previewId || current.running) return false;
      set({ generator: { ...current, running: true, error: null } });
      const result = await client.invoke('schema:write-migration', { profileId, previewId });
      const now = get().generator ?? current;
      if (!result.ok) {
        set({ generator: { ...now, running: false, error: result.error } });
        return false;
      }
      set({ generator: { ...now, running: false, written: result.value } });
      await get().refreshStatus();
      if (result.value.name) get().select(result.value.name);
      return true;
    },
  };
}
