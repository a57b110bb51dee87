/** Pick the transport: the Electron preload bridge when present, else HTTP to the web-mode server. */
import type { Client } from '../../shared/contract';
import { createHttpClient } from './http-client';
import { createIpcClient } from './ipc-client';
import './bridge';

/** The client for this window; `onUnauthorised` fires when web mode rejects the session. */
export function createClient(onUnauthorised: () => void): Client {
  if (typeof window !== 'undefined' && window.stepstone) return createIpcClient(window.stepstone);
  return createHttpClient({ onUnauthorised });
}
