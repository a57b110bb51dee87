/**
 * Where the window's page comes from: electron-vite's dev server in development, the built
 * file otherwise. The IPC sender check and navigation guard both ask `isAppUrl`.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export type RendererEntry = { kind: 'url'; url: string } | { kind: 'file'; path: string };

/** The renderer for this run; ELECTRON_RENDERER_URL is set by `electron-vite dev` only. */
export function rendererEntry(mainDir: string, env: NodeJS.ProcessEnv = process.env, packaged = false): RendererEntry {
  const devUrl = env.ELECTRON_RENDERER_URL;
  if (devUrl && !packaged) return { kind: 'url', url: devUrl };
  return { kind: 'file', path: join(mainDir, '..', 'renderer', 'index.html') };
}

/** Is `url` the app's own page (same dev origin, or the very index.html file)? */
export function isAppUrl(url: string, entry: RendererEntry): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (entry.kind === 'url') return parsed.origin === new URL(entry.url).origin;
  const own = pathToFileURL(entry.path);
  return parsed.protocol === 'file:' && parsed.pathname === own.pathname;
}
