/** Whether a CSS media query matches, kept current as the window is resized. */
import { useCallback, useSyncExternalStore } from 'react';

export function useMediaQuery(query: string): boolean {
  const subscribe = useCallback(
    (listener: () => void) => {
      const list = window.matchMedia(query);
      list.addEventListener('change', listener);
      return () => list.removeEventListener('change', listener);
    },
    [query],
  );
  return useSyncExternalStore(subscribe, () => window.matchMedia(query).matches, () => false);
}

/** Below this width the detail pane is a drawer over the timeline and the connections list can collapse. */
export const NARROW_WINDOW = '(max-width: 1199px)';
