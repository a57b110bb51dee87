/** `GET /api/events`: server-sent events, one JSON AppEvent per message, with heartbeats. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EventHub } from './event-hub';

export const HEARTBEAT_MS = 15_000;

/** Open an event stream on this response; it ends when the client goes away or `closeAll` runs. */
export function openEventStream(req: IncomingMessage, res: ServerResponse, events: Pick<EventHub, 'subscribe'>, heartbeatMs = HEARTBEAT_MS): () => void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.write('retry: 2000\n\n');
  const unsubscribe = events.subscribe((event) => {
    res.write(`data: ${JSON.stringify(event)}\n\n`);
  });
  // Comments keep proxies and idle timers from closing a quiet stream.
  const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), heartbeatMs);
  heartbeat.unref();
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    unsubscribe();
    res.end();
  };
  req.on('close', close);
  res.on('close', close);
  return close;
}
