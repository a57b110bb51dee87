/** Re-read the status when the window comes back (focus, or the tab becoming visible): the database may have moved meanwhile. */
import { useEffect } from 'react';
import type { AppStore } from '../../store/types';

/** At most one re-read per `minGapMs`, however many focus events arrive. */
export function useRereadOnFocus(store: AppStore, minGapMs = 2000): void {
  useEffect(() => {
    let last = 0;
    function reread() {
      if (document.visibilityState === 'hidden') return;
      const now = Date.now();
      if (now - last < minGapMs) return;
      last = now;
      const state = store.getState();
      if (!state.activeProfileId || state.statusLoading) return;
      void state.refreshStatus();
      void state.refreshDrift();
    }
    window.addEventListener('focus', reread);
    document.addEventListener('visibilitychange', reread);
    return () => {
      window.removeEventListener('focus', reread);
      document.removeEventListener('visibilitychange', reread);
    };
  }, [store, minGapMs]);
}
