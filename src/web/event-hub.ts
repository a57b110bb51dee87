/** A tiny fan-out of AppEvents: the service emits, every open event stream listens. */
import type { AppEvent } from '../shared/contract';

export interface EventHub {
  emit(event: AppEvent): void;
  subscribe(listener: (event: AppEvent) => void): () => void;
  listenerCount(): number;
}

/** An event hub with no listeners yet. */
export function createEventHub(): EventHub {
  const listeners = new Set<(event: AppEvent) => void>();
  return {
    emit(event) {
      for (const listener of [...listeners]) {
        try {
          listener(event);
        } catch {
          // One broken stream must not stop the others.
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    listenerCount: () => listeners.size,
  };
}
