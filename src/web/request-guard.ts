/**
 * Who may talk to web mode: requests must name our own host (DNS-rebinding protection), come
 * from our own origin when they say one (CSRF protection) and carry the per-run token, as the
 * session cookie set by the printed URL or as a bearer header.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Cookies are shared by every port of a host: each server names its own, so two web modes side by side keep their sessions. */
export function tokenCookieName(port: number): string {
  return `stepstone_token_${port}`;
}

export type GuardVerdict = { allowed: true } | { allowed: false; status: 401 | 403; reason: string };

/** Host names a browser may use to reach a server listening on `port`. */
export function allowedHosts(host: string, port: number): Set<string> {
  return new Set([`${host}:${port}`, `127.0.0.1:${port}`, `localhost:${port}`]);
}

/** Constant-time comparison of a presented token with the real one. */
export function tokenMatches(presented: string | undefined, token: string): boolean {
  if (presented === undefined) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The value of one cookie of a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The token a request presents, from its cookie or its Authorization header. */
export function presentedToken(req: IncomingMessage, port: number): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice('Bearer '.length).trim();
  return readCookie(req.headers.cookie, tokenCookieName(port));
}

/** Host and Origin checks, which apply to every request, the token link included. */
export function checkHostAndOrigin(req: IncomingMessage, hosts: Set<string>): GuardVerdict {
  const host = req.headers.host;
  if (!host || !hosts.has(host.toLowerCase())) {
    return { allowed: false, status: 403, reason: `Forbidden: Stepstone answers only to ${[...hosts].join(' or ')}.` };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !hosts.has(originHost(origin))) {
    return { allowed: false, status: 403, reason: 'Forbidden: requests from other sites are refused.' };
  }
  return { allowed: true };
}

function originHost(origin: string): string {
  try {
    const u = new URL(origin);
    return u.protocol === 'http:' ? u.host.toLowerCase() : '';
  } catch {
    return ''; // "null" and garbage are foreign
  }
}

/** The session check: cookie or bearer must carry the token. */
export function checkToken(req: IncomingMessage, token: string, port: number): GuardVerdict {
  if (tokenMatches(presentedToken(req, port), token)) return { allowed: true };
  return {
    allowed: false,
    status: 401,
    reason: 'Unauthorised: open the URL printed in the terminal where Stepstone web mode started (it carries the session token).',
  };
}
