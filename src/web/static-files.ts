/**
 * Serves the built renderer: correct content types, no way out of the folder, and the
 * single-page fallback to index.html for paths that are not files.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';

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

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** Answer a GET/HEAD for a static file, falling back to index.html for app routes. */
export async function serveStatic(req: IncomingMessage, res: ServerResponse, root: string, urlPath: string): Promise<void> {
  const file = resolveInside(root, urlPath);
  if (file === null) {
    res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' }).end('Forbidden: that path is outside the app.');
    return;
  }
  let chosen = file;
  if (!(await isFile(chosen))) {
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
    if (!(await isFile(chosen))) {
      res
        .writeHead(503, { 'content-type': 'text/plain; charset=utf-8' })
        .end('The app is not built yet: run `npx electron-vite build` (npm run web does it for you).');
      return;
    }
  }
  const size = (await stat(chosen)).size;
  res.writeHead(200, {
    'content-type': contentTypeOf(chosen),
    'content-length': String(size),
    // index.html must be revalidated so a rebuilt app is picked up; hashed assets may be cached.
    'cache-control': chosen.endsWith('index.html') ? 'no-cache' : 'public, max-age=3600',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(chosen)
    .on('error', () => res.destroy())
    .pipe(res);
}
