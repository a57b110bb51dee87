/**
 * Loaded just before `pg` (by pg-driver.ts, and only there): pg decides when it loads whether it runs
 * in a Cloudflare Worker. It reads `navigator.userAgent`; where there is no `navigator` (Node before
 * 21) it builds a fetch `Response` instead, and that loads Node's bundled fetch (undici): ~30 ms of
 * every CLI start on Node 20, for an answer that is always no. So while pg loads there is a
 * `navigator` saying what Node 21's own says; `forgetNavigator` removes it once pg is loaded. Where
 * Node has its own `navigator`, nothing is set or removed.
 */
const g = globalThis as { navigator?: unknown };
const lent = g.navigator === undefined && !('navigator' in g);
if (lent) {
  Object.defineProperty(g, 'navigator', {
    value: { userAgent: `Node.js/${process.versions.node.split('.')[0]}` },
    configurable: true,
    enumerable: false,
    writable: true,
  });
}

/** Remove the `navigator` set for pg's load (pg read it then; nothing else sees it). */
export function forgetNavigator(): void {
  if (lent) delete g.navigator;
}
