/** The shape the Electron preload exposes as `window.stepstone` (agreed with the shell). */
import type { AppEvent, Channel, RequestOf, ResponseOf, Result } from '../../shared/contract';

export interface StepstoneBridge {
  invoke(channel: Channel, request: unknown): Promise<Result<unknown>>;
  subscribe(listener: (event: AppEvent) => void): () => void;
}

declare global {
  interface Window {
    stepstone?: StepstoneBridge;
  }
}

/** Narrow an untyped bridge answer to the channel's typed Result. */
export function typedResult<C extends Channel>(result: Result<unknown>): Result<ResponseOf<C>> {
  return result as Result<ResponseOf<C>>;
}

export type { RequestOf };
