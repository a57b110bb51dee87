/** Single-key shortcuts (no Ctrl+Alt, which is AltGr on many keyboards); they open dialogs, never run. */
import { useEffect } from 'react';
import type { AppStore } from '../../store/types';

export interface ShortcutHandlers {
  newMigration: () => void;
  cheatSheet: () => void;
}

function typingInto(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
}

/** Install the window-level shortcuts while mounted. */
export function useShortcuts(store: AppStore, handlers: ShortcutHandlers): void {
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.ctrlKey || event.metaKey || event.altKey || typingInto(event.target)) return;
      if (document.querySelector('[role="dialog"]')) return; // a dialog owns the keyboard
      const state = store.getState();
      if (!state.status || state.run?.running) {
        if (event.key === '?') handlers.cheatSheet();
        return;
      }
      const actions: Record<string, () => void> = {
        u: () => void state.openPlan({ kind: 'upgrade' }),
        r: () => void state.openPlan({ kind: 'rollback', mode: 'last-batch' }),
        n: handlers.newMigration,
        '1': () => state.setView('timeline'),
        '2': () => state.setView('history'),
        '3': () => state.setView('backups'),
        '?': handlers.cheatSheet,
        '/': () => {
          state.setView('timeline');
          // After the view switch has rendered the box.
          window.requestAnimationFrame(() => document.getElementById('timeline-filter')?.focus());
        },
      };
      const action = actions[event.key];
      if (!action) return;
      event.preventDefault();
      action();
    }
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [store, handlers]);
}
