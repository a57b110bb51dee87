/** Minimal DOM test harness (happy-dom): render the app pieces around a store and a fake client. */
import { act, type ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { AppStoreProvider } from '../store/store-context';
import type { AppStore } from '../store/types';

// React warns unless told the environment supports act().
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

export interface Rendered {
  container: HTMLElement;
  root: Root;
  unmount(): void;
}

/** Render `ui` inside the store provider and wait for effects. */
export async function render(store: AppStore, ui: ReactNode): Promise<Rendered> {
  const container = document.createElement('div');
  document.body.appendChild(container);
  const root = createRoot(container);
  await act(async () => {
    root.render(<AppStoreProvider store={store}>{ui}</AppStoreProvider>);
  });
  return {
    container,
    root,
    unmount: () => {
      act(() => root.unmount());
      container.remove();
    },
  };
}

/** Run an interaction and let React and pending promises settle. */
export async function settle(fn?: () => unknown): Promise<void> {
  await act(async () => {
    await fn?.();
    for (let i = 0; i < 5; i++) await Promise.resolve();
  });
}

/** Buttons by their accessible text (text content or aria-label). */
export function buttonNamed(root: ParentNode, name: string | RegExp): HTMLButtonElement | undefined {
  return Array.from(root.querySelectorAll('button')).find((b) => {
    const label = b.getAttribute('aria-label') ?? b.textContent ?? '';
    return typeof name === 'string' ? label.trim() === name : name.test(label);
  });
}

/** Dispatch a key press on an element. */
export async function press(target: Element, key: string, init: KeyboardEventInit = {}): Promise<void> {
  await settle(() => target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init })));
}
