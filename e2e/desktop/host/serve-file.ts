/** file:// responses for the harness: the bytes on disk with a content type, as Electron's file protocol serves them. */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.map': 'application/json',
  '.txt': 'text/plain',
};

export async function serveFile(url: URL): Promise<{ status: number; contentType: string; body: Buffer }> {
  const path = fileURLToPath(url);
  try {
    return { status: 200, contentType: TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream', body: await readFile(path) };
  } catch {
    return { status: 404, contentType: 'text/plain', body: Buffer.alloc(0) };
  }
}
