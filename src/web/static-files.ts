/**
 * Serves the built renderer: correct content types, no way out of the folder, and the
 * single-page fallback to index.html for paths that are not files.
 *
 * Read synchronously, whole, and sent in one write: the files are small (the largest, the app's
 * code, is under 0.5 MB) and in the page cache, so a read takes well under a millisecond. Read as
 * a stream (two stats, an open and a read per 64 kB, each its own turn of the event loop), the
 * app's code waited behind the page's first status, which the server reads meanwhile (10,000
 * migrations: tens of milliseconds of CPU at a time), once per turn. A browser that takes brotli or
 * gzip gets the copy compressed-assets keeps (a third of the bytes, so of the socket's turns too).
 */
import { readFileSync, statSync, type Stats } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { type CompressedAssets, preferredEncoding } from './compressed-assets';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** The content type for a file name; unknown ones are served as bytes. */
export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** The absolute file a URL path names inside `root`, or null when it would leave it. */
export function resolveInside(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const base = resolve(root);
  const file = resolve(base, '.' + (decoded.startsWith('/') ? decoded : `/${decoded}`));
  return file === base || file.startsWith(base + sep) ? file : null;
}

function fileStats(path: string): Stats | null {
  try {
    const stats = statSync(path);
    return stats.isFile() ? stats : null;
  } catch {
    return null;
  }
}

/** `html` with `markup` right after its `<head>` (unchanged when it has none). */
export function withHeadMarkup(html: Buffer, markup: string): Buffer {
  const text = html.toString('utf8');
  const at = text.search(/<head(?:\s[^>]*)?>/i);
  if (at < 0) return html;
  const end = text.indexOf('>', at) + 1;
  return Buffer.from(text.slice(0, end) + markup + text.slice(end));
}

/**
 * Answer a GET/HEAD for a static file, falling back to index.html for app routes; `pageHead`:
 * markup added to the page's head (the page only, not other HTML files); `compressed`: copies of
 * the files to send to a browser that takes them (the page itself is always sent as it is).
 */
export function serveStatic(req: IncomingMessage, res: ServerResponse, root: string, urlPath: string, pageHead = '', compressed?: CompressedAssets): void {
  const file = resolveInside(root, urlPath);
  if (file === null) {
    res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' }).end('Forbidden: that path is outside the app.');
    return;
  }
  let chosen = file;
  let stats = fileStats(chosen);
  if (stats === null) {
    // Browsers ask for it unprompted; "no content" keeps their consoles free of a 404.
    if (urlPath === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    // A path with an extension is a missing asset; one without is a client-side route.
    if (extname(urlPath) !== '') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found.');
      return;
    }
    chosen = join(resolve(root), 'index.html');
    stats = fileStats(chosen);
    if (stats === null) {
      res
        .writeHead(503, { 'content-type': 'text/plain; charset=utf-8' })
        .end('The app is not built yet: run `npx electron-vite build` (npm run web does it for you).');
      return;
    }
  }
  const page = chosen === join(resolve(root), 'index.html');
  const encoding = page ? null : preferredEncoding(req.headers['accept-encoding']);
  let body = encoding && compressed ? compressed.get(chosen, stats, encoding) : null;
  const headers: Record<string, string> = {
    'content-type': contentTypeOf(chosen),
    // index.html must be revalidated so a rebuilt app is picked up; hashed assets may be cached.
    'cache-control': page ? 'no-cache' : 'public, max-age=3600',
  };
  if (!page && compressed) headers.vary = 'accept-encoding';
  if (body && encoding) headers['content-encoding'] = encoding;
  else {
    try {
      body = readFileSync(chosen);
    } catch {
      res.destroy(); // gone between the check and the read (a rebuild): the browser asks again
      return;
    }
    if (page && pageHead) body = withHeadMarkup(body, pageHead);
  }
  headers['content-length'] = String(body.length);
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}
