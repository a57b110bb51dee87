/**
 * The renderer's files compressed once (brotli, or gzip for a browser that does not take it), kept
 * in memory for web mode. The app's code is 445 kB; compressed it is ~125 kB, so the socket drains
 * it in a third of the event-loop turns, and while the page loads those turns wait behind the
 * page's first status, which the server reads meanwhile (10,000 migrations: tens of ms at a time).
 * Compression runs in libuv's thread pool, never on the server's thread: a file is sent as it is
 * until its compressed copy is ready, and a copy is used only while the file is unchanged.
 */
import { readdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import { extname, join } from 'node:path';
import { brotliCompress, constants, gzip } from 'node:zlib';

export type ContentEncoding = 'br' | 'gzip';

/** Text (and wasm): worth compressing. Images and fonts are compressed already. */
const COMPRESSIBLE = new Set(['.js', '.mjs', '.css', '.html', '.json', '.map', '.svg', '.txt', '.wasm']);
/** Below this a compressed copy saves less than a packet. */
const MIN_BYTES = 1024;
/** Brotli's quality 5: within ~10% of its best size in ~2% of the time (15 ms for the app's code). */
const BROTLI_QUALITY = 5;

interface Copy {
  mtimeMs: number;
  size: number;
  encoded: Partial<Record<ContentEncoding, Buffer>>;
}

/** The encoding to answer with for an Accept-Encoding header (brotli first), or null for none. */
export function preferredEncoding(acceptEncoding: string | string[] | undefined): ContentEncoding | null {
  const accepted = new Map<string, number>();
  for (const part of String(acceptEncoding ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (name) accepted.set(name, q ? Number(q.slice(2)) : 1);
  }
  const ok = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  return ok('br') ? 'br' : ok('gzip') ? 'gzip' : null;
}

export interface CompressedAssets {
  /** The compressed bytes of `file` (whose stat is `stats`) in `encoding`, when ready and still current; else null, and the copy is made for next time. */
  get(file: string, stats: Stats, encoding: ContentEncoding): Buffer | null;
  /** Compress every compressible file under `dir` in the background (web mode's start). */
  warm(dir: string): void;
}

export function createCompressedAssets(): CompressedAssets {
  const copies = new Map<string, Copy>();
  const pending = new Set<string>();

  function compress(file: string, stats: Stats): void {
    const key = `${file}\0${stats.mtimeMs}\0${stats.size}`;
    if (pending.has(key)) return;
    pending.add(key);
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch {
      pending.delete(key);
      return;
    }
    const copy: Copy = { mtimeMs: stats.mtimeMs, size: stats.size, encoded: {} };
    let left = 2;
    const done = (encoding: ContentEncoding) => (error: Error | null, result: Buffer) => {
      if (!error && result.length < bytes.length) copy.encoded[encoding] = result;
      if (--left > 0) return;
      pending.delete(key);
      copies.set(file, copy);
    };
    brotliCompress(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }, done('br'));
    gzip(bytes, { level: 6 }, done('gzip'));
  }

  const worthIt = (file: string, stats: Stats) => stats.size >= MIN_BYTES && COMPRESSIBLE.has(extname(file).toLowerCase());

  return {
    get(file, stats, encoding) {
      if (!worthIt(file, stats)) return null;
      const copy = copies.get(file);
      if (copy && copy.mtimeMs === stats.mtimeMs && copy.size === stats.size) return copy.encoded[encoding] ?? null;
      compress(file, stats);
      return null;
    },
    warm(dir) {
      let entries: string[];
      try {
        entries = readdirSync(dir, { recursive: true }) as string[];
      } catch {
        return; // not built yet: files are compressed as they are asked for
      }
      for (const entry of entries) {
        // The page carries per-request markup and is always sent as it is.
        if (entry === 'index.html') continue;
        const file = join(dir, entry);
        try {
          const stats = statSync(file);
          if (stats.isFile() && worthIt(file, stats)) compress(file, stats);
        } catch {
          /* gone meanwhile */
        }
      }
    },
  };
}
