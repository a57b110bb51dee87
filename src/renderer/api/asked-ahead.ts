/**
 * A call made before the app is ready for its answer, answered once to the app's own identical
 * call: the window's first status, asked for as soon as the page's code runs instead of after the
 * app's info and profiles have answered (a round trip, then the shell's first render, later).
 */
import type { Channel, Client, RequestOf, ResponseOf, Result } from '../../shared/contract';

/** How long an answer asked ahead waits for its call; later calls ask again (the server drops its copy after 10 s too). */
export const ASKED_AHEAD_TTL_MS = 10_000;

/**
 * `client`, with `channel` + `request` asked now: the first identical call within the TTL takes
 * that answer (a promise, pending or not); every other call goes to `client` as usual.
 */
export function askAhead<C extends Channel>(client: Client, channel: C, request: RequestOf<C>, now: () => number = () => Date.now()): Client {
  const key = JSON.stringify(request);
  let ahead: { answer: Promise<Result<ResponseOf<C>>>; at: number } | null = { answer: client.invoke(channel, request), at: now() };
  return {
    invoke(c, r) {
      if (ahead && (c as Channel) === channel && JSON.stringify(r) === key) {
        const { answer, at } = ahead;
        ahead = null;
        if (now() - at <= ASKED_AHEAD_TTL_MS) return answer as never;
      }
      return client.invoke(c, r);
    },
    subscribe: (listener) => client.subscribe(listener),
  };
}

/** The page's `<meta name="stepstone-first-status">`: the profile whose status web mode reads while the page loads (null: none). */
export function firstStatusProfileOf(doc: Pick<Document, 'querySelector'> | undefined): string | null {
  const content = doc?.querySelector<HTMLMetaElement>('meta[name="stepstone-first-status"]')?.content;
  return content ? content : null;
}
