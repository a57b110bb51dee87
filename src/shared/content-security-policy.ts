/**
 * The one Content Security Policy of the renderer, wherever it is served: web mode's HTTP header
 * (src/web), the desktop window's response header (src/main) and the `<meta>` tag of the built
 * index.html (electron.vite.config.ts), which is what guards a `file://` page if a response hook
 * does not run. No inline code, nothing from another origin.
 */
const DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
] as const;

/** The policy as an HTTP header value. */
export const CONTENT_SECURITY_POLICY = DIRECTIVES.join('; ');

/** The same policy for a `<meta http-equiv>` tag, which cannot carry frame-ancestors (browsers ignore it there and warn). */
export const CONTENT_SECURITY_POLICY_META = DIRECTIVES.filter((d) => !d.startsWith('frame-ancestors')).join('; ');

/**
 * The policy for electron-vite's dev server (development only): hot reload needs its websocket and
 * injects styles inline.
 */
export function devServerContentSecurityPolicy(devOrigin: string): string {
  const host = new URL(devOrigin).host;
  return CONTENT_SECURITY_POLICY.replace("connect-src 'self'", `connect-src 'self' ws://${host}`).replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");
}
