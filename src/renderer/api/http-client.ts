/**
 * Client for web mode: `POST /api/<channel>` answering a JSON Result, events over
 * server-sent events at `GET /api/events`. The session cookie rides along (same origin).
 */
import type { AppEvent, Channel, Client, RequestOf, ResponseOf, Result } from '../../shared/contract';
import { errorInfo } from '../../shared/errors';

export interface HttpClientOptions {
  /** Base URL of the API, default `/api`. */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Factory for the event stream; injectable for tests. */
  openEvents?: (url: string) => EventSource;
  /** Called once when any request answers 401. */
  onUnauthorised?: () => void;
}

/** Build the HTTP + SSE client for web mode. */
export function createHttpClient(options: HttpClientOptions = {}): Client {
  const base = options.baseUrl ?? '/api';
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const openEvents = options.openEvents ?? ((url: string) => new EventSource(url, { withCredentials: true }));
  const listeners = new Set<(event: AppEvent) => void>();
  let source: EventSource | null = null;
  // Events are validated with the contract's schema, which brings zod (about half the app's code):
  // it is loaded with the first event instead of before the first screen. Events keep their order.
  let validator: Promise<(value: unknown) => AppEvent | null> | null = null;
  let delivering: Promise<void> = Promise.resolve();
  const loadValidator = () =>
    (validator ??= import('../../shared/contract').then(({ AppEvent: schema }) => (value: unknown) => {
      const event = schema.safeParse(value);
      return event.success ? event.data : null;
    }));

  function ensureEvents(): void {
    if (source) return;
    source = openEvents(`${base}/events`);
    source.onmessage = (message: MessageEvent<string>) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(message.data);
      } catch {
        return; // keep-alive comments or garbage: ignore
      }
      delivering = delivering.then(async () => {
        const event = (await loadValidator())(parsed);
        if (event) for (const listener of listeners) listener(event);
      });
    };
  }

  return {
    async invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<Result<ResponseOf<C>>> {
      let response: Response;
      try {
        response = await doFetch(`${base}/${channel}`, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(request ?? {}),
        });
      } catch (error) {
        return {
          ok: false,
          error: errorInfo('SERVER_UNREACHABLE', `The Stepstone server did not answer: ${error instanceof Error ? error.message : String(error)}`, {
            hint: 'Check that `npm run web` is still running in the terminal, then reload the page.',
          }),
        };
      }
      if (response.status === 401) {
        options.onUnauthorised?.();
        return {
          ok: false,
          error: errorInfo('UNAUTHORISED', 'This Stepstone session needs its link with the token.', { hint: 'Open the URL printed in the terminal.' }),
        };
      }
      try {
        return (await response.json()) as Result<ResponseOf<C>>;
      } catch {
        return {
          ok: false,
          error: errorInfo('BAD_RESPONSE', `The server answered ${channel} with HTTP ${response.status} and no readable result.`, {
            hint: 'Look at the terminal running `npm run web` for the cause.',
          }),
        };
      }
    },
    subscribe(listener: (event: AppEvent) => void): () => void {
      listeners.add(listener);
      ensureEvents();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && source) {
          source.close();
          source = null;
        }
      };
    },
  };
}
