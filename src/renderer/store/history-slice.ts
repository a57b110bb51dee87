/** The audit log of the active profile. */
import type { RunEvidence } from '../../shared/contract';
import type { HistorySlice, Loadable, SliceContext } from './types';

/** How many entries the timeline and History view load at once. */
export const HISTORY_LIMIT = 1000;

/** Build the history part of the store. */
export function createHistorySlice({ set, get, client, latest }: SliceContext): HistorySlice {
  return {
    history: [],
    historyLoading: false,
    historyError: null,
    runEvidence: {},

    async refreshHistory() {
      const profileId = get().activeProfileId;
      if (!profileId) return;
      const newest = latest('history');
      set({ historyLoading: true });
      const result = await client.invoke('history:list', { profileId, limit: HISTORY_LIMIT });
      if (!newest() || get().activeProfileId !== profileId) return;
      if (result.ok) set({ history: result.value, historyError: null, historyLoading: false });
      else set({ historyError: result.error, historyLoading: false });
    },

    async loadRunEvidence(historyId) {
      const profileId = get().activeProfileId;
      const existing = get().runEvidence[historyId];
      if (!profileId || (existing && !existing.error)) return; // kept evidence never changes
      const put = (value: Loadable<RunEvidence | null>) => set({ runEvidence: { ...get().runEvidence, [historyId]: value } });
      put({ data: null, loading: true, error: null });
      const result = await client.invoke('history:evidence', { profileId, historyId });
      if (get().activeProfileId !== profileId) return;
      put(result.ok ? { data: result.value, loading: false, error: null } : { data: null, loading: false, error: result.error });
    },
  };
}
