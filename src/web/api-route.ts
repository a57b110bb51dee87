/** `POST /api/<channel>`: a JSON body in, the service's JSON Result out (HTTP 200 when handled). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isChannel } from '../shared/contract';
import type { Result } from '../shared/contract';
import type { Service } from '../service/create-service';
import { errorInfo } from '../shared/errors';

export const BODY_LIMIT_BYTES = 10 * 1024 * 1024;

class BodyTooLarge extends Error {}

/**
 * Answers encoded before their call, by the Result the service hands back: a page's first status,
 * read while the page loads (10,000 migrations: 1.8 MB of JSON, 10–30 ms to encode), is encoded
 * as soon as it is read, while the browser still runs the page's code, not when the page asks.
 */
const encodedAhead = new WeakMap<object, Buffer>();

/** Encode `result` now, for the call that will be answered with it. */
export function encodeAhead(result: Result<unknown>): void {
  if (!encodedAhead.has(result)) encodedAhead.set(result, Buffer.from(JSON.stringify(result)));
}

function sendJson(res: ServerResponse, status: number, body: Result<unknown>): void {
  const bytes = encodedAhead.get(body) ?? Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(bytes.length), 'cache-control': 'no-store' });
  res.end(bytes);
}

function invalid(message: string): Result<unknown> {
  return { ok: false, error: errorInfo('INVALID_INPUT', message) };
}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Handle one API call; `channel` is the path after /api/. */
export async function handleApiCall(req: IncomingMessage, res: ServerResponse, channel: string, service: Service): Promise<void> {
  if (!isChannel(channel)) {
    sendJson(res, 404, { ok: false, error: errorInfo('NOT_FOUND', `No API channel "${channel}".`) });
    return;
  }
  if (req.method !== 'POST') {
    res.setHeader('allow', 'POST');
    sendJson(res, 405, invalid(`${channel} takes POST with a JSON body.`));
    return;
  }
  // Only JSON: a cross-site form cannot send it without a CORS preflight we never grant.
  const type = req.headers['content-type'] ?? '';
  if (!type.toLowerCase().startsWith('application/json')) {
    sendJson(res, 415, invalid(`${channel} needs Content-Type: application/json.`));
    return;
  }
  let body: unknown;
  try {
    const text = await readBody(req, BODY_LIMIT_BYTES);
    body = text.trim() === '' ? {} : JSON.parse(text);
  } catch (error) {
    if (error instanceof BodyTooLarge) {
      sendJson(res, 413, invalid(`The request body is over the ${BODY_LIMIT_BYTES / 1024 / 1024} MB limit.`));
      req.resume();
      return;
    }
    sendJson(res, 400, invalid(`The request body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`));
    return;
  }
  sendJson(res, 200, await service.dispatch(channel, body, { transport: 'http' }));
}
