/** The audit log of the active profile. */
import type { HistorySlice, SliceContext } from './types';

/** How many entries the timeline and History view load at once. */
export const HISTORY_LIMIT = 1000;

/** Build the history part of the store. */
export function createHistorySlice({ set, get, client }: SliceContext): HistorySlice {
  return {
    history: [],
    historyLoading: false,
    historyError: null,

    async refreshHistory() {
      const profileId = get().activeProfileId;
      if (!profileId) return;
      set({ historyLoading: true });
      const result = await client.invoke('history:list', { profileId, limit: HISTORY_LIMIT });
      if (get().activeProfileId !== profileId) return;
      if (result.ok) set({ history: result.value, historyError: null, historyLoading: false });
      else set({ historyError: result.error, historyLoading: false });
    },
  };
}
