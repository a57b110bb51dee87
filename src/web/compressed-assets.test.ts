// Web mode's compressed copies of the renderer's files, over real HTTP: brotli or gzip as the
// browser asks, the same bytes once decoded, the page itself never, and never a stale copy.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createService } from '../service/create-service';
import { createFakeEngine } from '../service/fake-engine.testkit';
import { preferredEncoding } from './compressed-assets';
import { createEventHub } from './event-hub';
import { startWebServer, type WebServer } from './web-server';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function get(server: WebServer, path: string, acceptEncoding?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host: `127.0.0.1:${server.port}`, authorization: `Bearer ${server.token}` };
    if (acceptEncoding !== undefined) headers['accept-encoding'] = acceptEncoding;
    const req = request({ host: '127.0.0.1', port: server.port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const code = (label: string) => `// ${label}\n` + Array.from({ length: 400 }, (_, i) => `export const value${i} = ${JSON.stringify(`${label} ${i}`)};`).join('\n');

let root: string;
let server: WebServer;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'stepstone-compressed-'));
  await mkdir(join(root, 'static', 'assets'), { recursive: true });
  await writeFile(join(root, 'static', 'index.html'), `<!doctype html><title>Stepstone</title>${'<!-- padding -->'.repeat(200)}`);
  await writeFile(join(root, 'static', 'assets', 'app.js'), code('first build'));
  // Under the size worth compressing, yet it would compress well: only the size rule keeps it as it is.
  await writeFile(join(root, 'static', 'assets', 'tiny.js'), `console.log('${'x'.repeat(900)}');`);
  const hub = createEventHub();
  const service = createService({ dataDir: join(root, 'data'), mode: 'web', version: '0.0.0-test', demoMigrationsDir: join(root, 'migrations'), emit: hub.emit, engine: createFakeEngine().engine });
  server = await startWebServer({ service, events: hub, staticDir: join(root, 'static') });
});

afterAll(async () => {
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

describe('the encoding a browser takes', () => {
  it('prefers brotli, then gzip; honours q=0 and *', () => {
    expect(preferredEncoding('gzip, deflate, br, zstd')).toBe('br');
    expect(preferredEncoding('gzip, deflate')).toBe('gzip');
    expect(preferredEncoding('br;q=0, gzip;q=0.5')).toBe('gzip');
    expect(preferredEncoding('*')).toBe('br');
    expect(preferredEncoding('identity')).toBeNull();
    expect(preferredEncoding(undefined)).toBeNull();
  });
});

describe("web mode's compressed files", () => {
  it('sends the app code compressed as asked, the same bytes once decoded, and as it is to a browser that asks for none', async () => {
    const original = Buffer.from(code('first build'));
    await vi.waitFor(async () => expect((await get(server, '/assets/app.js', 'br')).headers['content-encoding']).toBe('br'));
    const br = await get(server, '/assets/app.js', 'gzip, deflate, br');
    expect(br.headers.vary).toBe('accept-encoding');
    expect(br.body.length).toBeLessThan(original.length / 3);
    expect(Number(br.headers['content-length'])).toBe(br.body.length);
    expect(brotliDecompressSync(br.body).equals(original)).toBe(true);
    const gz = await get(server, '/assets/app.js', 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).equals(original)).toBe(true);
    const plain = await get(server, '/assets/app.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.equals(original)).toBe(true);
  });

  it('never compresses the page (it carries per-request markup) or a file too small to gain', async () => {
    await get(server, '/assets/tiny.js', 'br');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await get(server, '/assets/tiny.js', 'br')).headers['content-encoding']).toBeUndefined();
    const page = await get(server, '/', 'br');
    expect(page.headers['content-encoding']).toBeUndefined();
    expect(page.body.toString()).toContain('<title>Stepstone</title>');
  });

  it('never sends a copy of an older build: a changed file goes as it is until its new copy is ready', async () => {
    await vi.waitFor(async () => expect((await get(server, '/assets/app.js', 'br')).headers['content-encoding']).toBe('br'));
    const rebuilt = Buffer.from(code('second build, a little longer'));
    await writeFile(join(root, 'static', 'assets', 'app.js'), rebuilt);
    const first = await get(server, '/assets/app.js', 'br');
    const decoded = first.headers['content-encoding'] === 'br' ? brotliDecompressSync(first.body) : first.body;
    expect(decoded.equals(rebuilt)).toBe(true);
    await vi.waitFor(async () => expect((await get(server, '/assets/app.js', 'br')).headers['content-encoding']).toBe('br'));
    expect(brotliDecompressSync((await get(server, '/assets/app.js', 'br')).body).equals(rebuilt)).toBe(true);
  });
});
