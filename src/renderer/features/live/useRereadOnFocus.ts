/** Re-read the status when the window comes back (focus, or the tab becoming visible): the database may have moved meanwhile. */
import { useEffect } from 'react';
import type { AppStore } from '../../store/types';

/**
 * At most one re-read per `minGapMs`, however many focus events arrive. A read already under way
 * may have started before the change the user comes back for: the re-read then follows it, rather
 * than being dropped (the store applies only the newest answer).
 */
export function useRereadOnFocus(store: AppStore, minGapMs = 2000): void {
  useEffect(() => {
    let last = 0;
    let afterLoad: (() => void) | null = null;
    function readNow() {
      const state = store.getState();
      if (!state.activeProfileId) return;
      void state.refreshStatus();
      void state.refreshDrift();
    }
    function reread() {
      if (document.visibilityState === 'hidden') return;
      const now = Date.now();
      if (now - last < minGapMs || afterLoad) return;
      last = now;
      if (!store.getState().statusLoading) return readNow();
      afterLoad = store.subscribe((state) => {
        if (state.statusLoading) return;
        afterLoad?.();
        afterLoad = null;
        readNow();
      });
    }
    window.addEventListener('focus', reread);
    document.addEventListener('visibilitychange', reread);
    return () => {
      window.removeEventListener('focus', reread);
      document.removeEventListener('visibilitychange', reread);
      afterLoad?.();
    };
  }, [store, minGapMs]);
}
