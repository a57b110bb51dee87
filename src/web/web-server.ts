/**
 * Web mode: the contract over HTTP on 127.0.0.1 for browsers and end-to-end tests. A random
 * per-run token guards it (the printed URL sets a cookie); Host and Origin are checked; the
 * built renderer is served with a strict CSP; events stream as server-sent events.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname } from 'node:path';
import type { Service } from '../service/create-service';
import { CONTENT_SECURITY_POLICY } from '../shared/content-security-policy';
import { encodeAhead, handleApiCall } from './api-route';
import type { EventHub } from './event-hub';
import { openEventStream } from './event-stream';
import { allowedHosts, checkHostAndOrigin, checkToken, tokenCookieName, tokenMatches } from './request-guard';
import { createCompressedAssets } from './compressed-assets';
import { serveStatic } from './static-files';


export interface WebServerOptions {
  /** 0 or absent: a free port. */
  port?: number;
  host?: '127.0.0.1';
  service: Service;
  events: Pick<EventHub, 'subscribe'>;
  /** The built renderer (out/renderer). */
  staticDir: string;
  /** A fixed token (tests); a random one otherwise. */
  token?: string;
  heartbeatMs?: number;
}

export interface WebServer {
  url: string;
  /** The URL with the token: what the user opens. */
  loginUrl: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

function setSecurityHeaders(res: ServerResponse): void {
  res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('cross-origin-opener-policy', 'same-origin');
}

const escapeAttribute = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The page names the profile whose status is read while it loads, so its code asks for that status
 * first thing (src/renderer/window-client.ts) instead of after the app's info and profiles answer.
 */
function firstStatusMeta(service: Service): string {
  const profileId = service.prefetchProfileId();
  return profileId === null ? '' : `<meta name="stepstone-first-status" content="${escapeAttribute(profileId)}">`;
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end(text);
}

/** Start web mode; resolves once listening. */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? randomBytes(24).toString('base64url');
  const streams = new Set<() => void>();
  let hosts = new Set<string>();
  // The app's files, compressed in the background from the start (see compressed-assets).
  const compressed = createCompressedAssets();
  compressed.warm(options.staticDir);

  /**
   * A page's first status is read as soon as the page is sent, while the browser asks for the page's
   * code, runs it and renders the shell: the status (10,000 migrations: ~100 ms alone) is then
   * ready about when the app can show it. Read after the page's code was sent, as it was, it began
   * ~100–200 ms into the load and the first rows waited for it. Not at the token's redirect: the
   * read's CPU held up the page itself there (the HTML answered ~200 ms late on a busy machine).
   */
  function prefetchNow(): void {
    // Encoded once it is read (while the browser runs the page's code), not when the page asks.
    void options.service.prefetchStatus?.()?.then(encodeAhead);
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    setSecurityHeaders(res);
    const place = checkHostAndOrigin(req, hosts);
    if (!place.allowed) return plain(res, place.status, place.reason);
    const url = new URL(req.url ?? '/', `http://${host}`);

    // The printed link: trade the token in the query for a cookie, then drop it from the address bar.
    const queryToken = url.searchParams.get('token');
    if (url.pathname === '/' && queryToken !== null && req.method === 'GET') {
      if (!tokenMatches(queryToken, token)) return plain(res, 401, 'Unauthorised: this link is from another run. Open the URL printed in the terminal.');
      // The page follows; its first status is read once the page is sent (below), not here.
      res.writeHead(302, {
        'set-cookie': `${tokenCookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        location: '/',
        'cache-control': 'no-store',
      });
      return void res.end();
    }

    const session = checkToken(req, token, port);
    if (!session.allowed) return plain(res, session.status, session.reason);

    if (url.pathname === '/api/events') {
      if (req.method !== 'GET') return plain(res, 405, 'The event stream takes GET.');
      const close = openEventStream(req, res, options.events, options.heartbeatMs);
      streams.add(close);
      res.on('close', () => streams.delete(close));
      return;
    }
    if (url.pathname.startsWith('/api/')) return handleApiCall(req, res, url.pathname.slice('/api/'.length), options.service);
    if (url.pathname === '/api') return plain(res, 404, 'Not found.');
    if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'Static files take GET.');
    // The page itself (not one of its assets): its first status is read in advance, see prefetchNow.
    if (req.method === 'GET' && extname(url.pathname) === '') res.once('finish', prefetchNow);
    return serveStatic(req, res, options.staticDir, url.pathname, firstStatusMeta(options.service), compressed);
  }

  const server: Server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (!res.headersSent) plain(res, 500, `Internal error: ${error instanceof Error ? error.message : String(error)}`);
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  hosts = allowedHosts(host, port);
  const base = `http://${host}:${port}`;

  return {
    url: `${base}/`,
    loginUrl: `${base}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const close of streams) close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
