/** The desktop window's CSP: the same as web mode's, plus the dev server's websocket in development. */
import type { RendererEntry } from './renderer-entry';

const BASE =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/** The policy for this renderer entry; vite's dev server needs ws: for hot reload and inline styles. */
export function contentSecurityPolicy(entry: RendererEntry): string {
  if (entry.kind === 'file') return BASE;
  const origin = new URL(entry.url);
  return BASE.replace("connect-src 'self'", `connect-src 'self' ws://${origin.host}`).replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");
}
