/** The shape the Electron preload exposes as `window.stepstone` (agreed with the shell). */
import type { AppEvent, Channel, RequestOf, Result } from '../../shared/contract';

export interface StepstoneBridge {
  invoke(channel: Channel, request: unknown): Promise<Result<unknown>>;
  subscribe(listener: (event: AppEvent) => void): () => void;
}

declare global {
  interface Window {
    stepstone?: StepstoneBridge;
  }
}

export type { RequestOf };
