/** Client over the Electron preload bridge (`window.stepstone`). */
import type { AppEvent, Channel, Client, RequestOf, ResponseOf, Result } from '../../shared/contract';
import type { StepstoneBridge } from './bridge';
import { errorInfo } from '../../shared/errors';

/** Wrap the preload bridge as a `Client`; a rejected invoke becomes an error Result, never a throw. */
export function createIpcClient(bridge: StepstoneBridge): Client {
  return {
    async invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<Result<ResponseOf<C>>> {
      try {
        return (await bridge.invoke(channel, request)) as Result<ResponseOf<C>>;
      } catch (error) {
        return {
          ok: false,
          error: errorInfo('IPC_FAILED', `The app's background process did not answer ${channel}: ${error instanceof Error ? error.message : String(error)}`, {
            hint: 'Restart Stepstone; if it happens again, report it with the steps that led here.',
          }),
        };
      }
    },
    subscribe(listener: (event: AppEvent) => void): () => void {
      return bridge.subscribe(listener);
    },
  };
}
