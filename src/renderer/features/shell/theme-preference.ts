/**
 * The theme: System (follow the OS), Light or Dark, kept in this browser's storage and applied as
 * `data-theme` on <html> (theme.css turns that into color-scheme; every colour is light-dark()).
 */
import { useSyncExternalStore } from 'react';

export type ThemeChoice = 'system' | 'light' | 'dark';
const KEY = 'stepstone.theme';
const listeners = new Set<() => void>();

function read(): ThemeChoice {
  try {
    const value = window.localStorage.getItem(KEY);
    return value === 'light' || value === 'dark' ? value : 'system';
  } catch {
    return 'system'; // storage unavailable: follow the OS
  }
}

let current: ThemeChoice = typeof window === 'undefined' ? 'system' : read();

/** Put the choice on <html>; call once before the first render (no flash of the other theme). */
export function applyTheme(choice: ThemeChoice = current): void {
  if (choice === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = choice;
}

export function setTheme(choice: ThemeChoice): void {
  current = choice;
  try {
    if (choice === 'system') window.localStorage.removeItem(KEY);
    else window.localStorage.setItem(KEY, choice);
  } catch {
    // kept for this window only
  }
  applyTheme(choice);
  for (const l of listeners) l();
}

/** The choice, re-rendering when it changes. */
export function useTheme(): ThemeChoice {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => current,
  );
}
