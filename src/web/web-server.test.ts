// Web mode over real HTTP on 127.0.0.1: token, cookie, bearer, Host/Origin checks, static files, SSE, dispatch.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createService } from '../service/create-service';
import { createFakeEngine, fakeProfile } from '../service/fake-engine.testkit';
import { createEventHub } from './event-hub';
import { resolveInside } from './static-files';
import { CONTENT_SECURITY_POLICY } from '../shared/content-security-policy';
import { startWebServer, type WebServer } from './web-server';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function call(server: WebServer, path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, path, method: options.method ?? 'GET', headers: { host: `127.0.0.1:${server.port}`, ...options.headers } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

let root: string;
let server: WebServer;
const hub = createEventHub();

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'stepstone-web-'));
  await mkdir(join(root, 'static', 'assets'), { recursive: true });
  await writeFile(join(root, 'static', 'index.html'), '<!doctype html><title>Stepstone</title>');
  await writeFile(join(root, 'static', 'assets', 'app.js'), 'console.log("app")');
  await writeFile(join(root, 'secret.txt'), 'outside the static folder');
  const { engine } = createFakeEngine();
  const service = createService({ dataDir: join(root, 'data'), mode: 'web', version: '0.0.0-test', demoMigrationsDir: join(root, 'migrations'), emit: hub.emit, engine });
  server = await startWebServer({ service, events: hub, staticDir: join(root, 'static') });
});

afterAll(async () => {
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

const auth = () => ({ authorization: `Bearer ${server.token}` });
const json = { 'content-type': 'application/json' };

describe('web mode session', () => {
  it('listens on 127.0.0.1 with a long random token in the printed link', () => {
    expect(server.loginUrl).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('answers 401 with directions to requests without the token', async () => {
    const page = await call(server, '/');
    expect(page.status).toBe(401);
    expect(page.body).toContain('open the URL printed in the terminal');
    const api = await call(server, '/api/app:info', { method: 'POST', headers: json, body: '{}' });
    expect(api.status).toBe(401);
    const wrong = await call(server, '/api/app:info', { method: 'POST', headers: { ...json, authorization: 'Bearer nope' }, body: '{}' });
    expect(wrong.status).toBe(401);
    expect((await call(server, '/?token=not-the-token')).status).toBe(401);
  });

  it('trades the token link for an HttpOnly SameSite=Strict cookie that then opens the app', async () => {
    const login = await call(server, `/?token=${server.token}`);
    expect(login.status).toBe(302);
    expect(login.headers.location).toBe('/');
    const cookie = String(login.headers['set-cookie']);
    expect(cookie).toContain(`stepstone_token_${server.port}=${server.token}`);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const page = await call(server, '/', { headers: { cookie: `other=1; stepstone_token_${server.port}=${server.token}` } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Stepstone</title>');
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    // Another port's cookie (another web mode on this machine) opens nothing here.
    const other = await call(server, '/', { headers: { cookie: `stepstone_token_${server.port + 1}=${server.token}` } });
    expect(other.status).toBe(401);
  });

  it('accepts the bearer header', async () => {
    const answer = await call(server, '/api/app:info', { method: 'POST', headers: { ...json, ...auth() }, body: '{}' });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ ok: true, value: { mode: 'web', version: '0.0.0-test', canPickFolders: false } });
  });

  it('refuses a foreign Host (DNS rebinding) and a foreign Origin (CSRF) with 403, even with the token', async () => {
    const rebound = await call(server, '/api/app:info', { method: 'POST', headers: { ...json, ...auth(), host: `evil.example:${server.port}` }, body: '{}' });
    expect(rebound.status).toBe(403);
    const otherPort = await call(server, '/', { headers: { ...auth(), host: `127.0.0.1:${server.port + 1}` } });
    expect(otherPort.status).toBe(403);
    const foreign = await call(server, '/api/app:info', { method: 'POST', headers: { ...json, ...auth(), origin: 'http://evil.example' }, body: '{}' });
    expect(foreign.status).toBe(403);
    const nullOrigin = await call(server, '/api/app:info', { method: 'POST', headers: { ...json, ...auth(), origin: 'null' }, body: '{}' });
    expect(nullOrigin.status).toBe(403);
    const own = await call(server, '/api/app:info', { method: 'POST', headers: { ...json, ...auth(), origin: `http://localhost:${server.port}`, host: `localhost:${server.port}` }, body: '{}' });
    expect(own.status).toBe(200);
  });
});

describe('static files', () => {
  it('serves assets with their content type and falls back to index.html for app routes', async () => {
    const js = await call(server, '/assets/app.js', { headers: auth() });
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.body).toBe('console.log("app")');
    const route = await call(server, '/timeline/some-profile', { headers: auth() });
    expect(route.status).toBe(200);
    expect(route.body).toContain('<title>Stepstone</title>');
    expect((await call(server, '/assets/missing.js', { headers: auth() })).status).toBe(404);
    expect((await call(server, '/favicon.ico', { headers: auth() })).status).toBe(204);
  });

  it('refuses paths that leave the static folder', async () => {
    const encoded = await call(server, '/..%2fsecret.txt', { headers: auth() });
    expect(encoded.status).toBe(403);
    expect(encoded.body).not.toContain('outside the static folder');
    const dotted = await call(server, '/../secret.txt', { headers: auth() });
    expect(dotted.body).not.toContain('outside the static folder');
    expect(resolveInside('/srv/app', '/../etc/passwd')).toBeNull();
    expect(resolveInside('/srv/app', '/assets/app.js')).toBe('/srv/app/assets/app.js');
    expect(resolveInside('/srv/app', '/..%2f..%2fetc%2fpasswd')).toBeNull();
    expect(resolveInside('/srv/app', '/a%00.js')).toBeNull();
  });
});

describe('API', () => {
  it('round-trips a call through the service and reports invalid input as a Result', async () => {
    const saved = await call(server, '/api/profiles:save', {
      method: 'POST',
      headers: { ...json, ...auth() },
      body: JSON.stringify({ profile: { id: 'p1', name: 'Local', environment: 'local', url: 'postgres://postgres:pw@127.0.0.1/app', migrations: { directories: ['/m'] } } }),
    });
    expect(saved.status).toBe(200);
    const value = JSON.parse(saved.body);
    expect(value).toMatchObject({ ok: true, value: { id: 'p1', hasPassword: true, builtIn: false, url: 'postgres://postgres@127.0.0.1/app' } });
    expect(saved.body).not.toContain('pw');

    const bad = await call(server, '/api/migrations:status', { method: 'POST', headers: { ...json, ...auth() }, body: '{}' });
    expect(bad.status).toBe(200);
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('answers 404 for unknown channels and paths, 400 for broken JSON, 415 for non-JSON bodies', async () => {
    expect((await call(server, '/api/nope:nothing', { method: 'POST', headers: { ...json, ...auth() }, body: '{}' })).status).toBe(404);
    expect((await call(server, '/api', { headers: auth() })).status).toBe(404);
    const broken = await call(server, '/api/app:info', { method: 'POST', headers: { ...json, ...auth() }, body: '{oops' });
    expect(broken.status).toBe(400);
    expect(JSON.parse(broken.body).error.code).toBe('INVALID_INPUT');
    expect((await call(server, '/api/app:info', { method: 'POST', headers: { 'content-type': 'text/plain', ...auth() }, body: '{}' })).status).toBe(415);
    expect((await call(server, '/api/app:info', { method: 'GET', headers: auth() })).status).toBe(405);
  });

  it('refuses bodies over 10 MB', async () => {
    const big = JSON.stringify({ padding: 'x'.repeat(10 * 1024 * 1024 + 10) });
    const answer = await call(server, '/api/app:info', { method: 'POST', headers: { ...json, ...auth() }, body: big });
    expect(answer.status).toBe(413);
  });
});

describe('event stream', () => {
  it('delivers an emitted event as one JSON message and unsubscribes when the client leaves', async () => {
    const received = await new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: server.port, path: '/api/events', headers: { host: `127.0.0.1:${server.port}`, ...auth() } }, (res) => {
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
          // The stream is subscribed before its first bytes go out, so emitting now must arrive.
          if (text.includes('retry:') && !text.includes('data:')) {
            hub.emit({ type: 'migrations:progressed', runId: 'r1', event: { type: 'log', level: 'info', message: 'hello' } });
          }
          const data = text.split('\n').find((line) => line.startsWith('data: '));
          if (data) {
            req.destroy();
            resolve(data.slice('data: '.length));
          }
        });
      });
      req.on('error', (error) => ((error as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(error)));
      req.end();
    });
    expect(JSON.parse(received)).toEqual({ type: 'migrations:progressed', runId: 'r1', event: { type: 'log', level: 'info', message: 'hello' } });
    await expect.poll(() => hub.listenerCount()).toBe(0);
  });

  it('needs the token too', async () => {
    expect((await call(server, '/api/events')).status).toBe(401);
  });
});

/** A web-mode service over the fake engine that counts its status reads; `initial` names the server profile read ahead (null: none). */
function countedStatusService(dir: string, dataFolder: string, initial: string | null) {
  let reads = 0;
  const { engine } = createFakeEngine();
  const getStatus = engine.getStatus;
  engine.getStatus = async (db) => {
    reads += 1;
    return getStatus(db);
  };
  const service = createService({
    dataDir: join(dir, dataFolder),
    mode: 'web',
    version: '0.0.0-test',
    demoMigrationsDir: join(dir, 'migrations'),
    emit: hub.emit,
    engine,
    ...(initial === null ? {} : { initialProfile: { profile: fakeProfile(initial) } }),
  });
  return { service, reads: () => reads };
}

describe('the first status, read while the page loads', () => {
  it('starts on the page request (not its assets) and answers the first status call', async () => {
    const { service, reads } = countedStatusService(root, 'data2', 'cli');
    const web = await startWebServer({ service, events: hub, staticDir: join(root, 'static') });
    try {
      const bearer = { authorization: `Bearer ${web.token}` };
      expect((await call(web, '/assets/app.js', { headers: bearer })).status).toBe(200);
      expect(reads()).toBe(0);
      expect((await call(web, '/', { headers: bearer })).status).toBe(200);
      await vi.waitFor(() => expect(reads()).toBe(1));
      const status = await call(web, '/api/migrations:status', { method: 'POST', headers: { ...bearer, ...json }, body: JSON.stringify({ profileId: 'cli' }) });
      expect(JSON.parse(status.body)).toMatchObject({ ok: true });
      expect(reads()).toBe(1);
    } finally {
      await web.close();
    }
  });
});

describe('the page names the profile whose status it reads ahead', () => {
  async function setup(initial: string | null) {
    const dir = await mkdtemp(join(tmpdir(), 'stepstone-web-first-'));
    await mkdir(join(dir, 'static', 'assets'), { recursive: true });
    await writeFile(join(dir, 'static', 'index.html'), '<!doctype html><html><head><meta charset="UTF-8"><title>Stepstone</title></head><body></body></html>');
    await writeFile(join(dir, 'static', 'other.html'), '<!doctype html><html><head></head></html>');
    await writeFile(join(dir, 'static', 'assets', 'app.js'), 'console.log("app")');
    const { service, reads } = countedStatusService(dir, 'data', initial);
    const web = await startWebServer({ service, events: hub, staticDir: join(dir, 'static') });
    const bearer = { authorization: `Bearer ${web.token}` };
    return {
      web,
      bearer,
      reads,
      async close() {
        await web.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  }

  it('in a meta tag at the top of the head (escaped), on the page and its app routes only', async () => {
    const t = await setup('cli"<&>');
    try {
      const meta = '<meta name="stepstone-first-status" content="cli&quot;&lt;&amp;&gt;">';
      expect((await call(t.web, '/', { headers: t.bearer })).body).toBe(`<!doctype html><html><head>${meta}<meta charset="UTF-8"><title>Stepstone</title></head><body></body></html>`);
      expect((await call(t.web, '/history', { headers: t.bearer })).body).toContain(meta);
      expect((await call(t.web, '/other.html', { headers: t.bearer })).body).not.toContain('stepstone-first-status');
    } finally {
      await t.close();
    }
  });

  it('not without a server profile to read ahead', async () => {
    const t = await setup(null);
    try {
      expect((await call(t.web, '/', { headers: t.bearer })).body).not.toContain('stepstone-first-status');
    } finally {
      await t.close();
    }
  });

  it('sends the status read ahead as encoded when it was read, not again at its call', async () => {
    const t = await setup('cli');
    const stringify = vi.spyOn(JSON, 'stringify');
    try {
      await call(t.web, '/', { headers: t.bearer });
      await call(t.web, '/assets/app.js', { headers: t.bearer });
      await vi.waitFor(() => expect(stringify.mock.calls.some(([value]) => (value as { ok?: unknown } | null)?.ok === true)).toBe(true));
      stringify.mockClear();
      const body = JSON.stringify({ profileId: 'cli' });
      const status = await call(t.web, '/api/migrations:status', { method: 'POST', headers: { ...t.bearer, ...json }, body });
      expect(JSON.parse(status.body)).toMatchObject({ ok: true, value: { applied: expect.any(Array) } });
      expect(stringify.mock.calls.filter(([value]) => (value as { ok?: unknown } | null)?.ok !== undefined)).toEqual([]);
      expect(t.reads()).toBe(1);
    } finally {
      stringify.mockRestore();
      await t.close();
    }
  });

  it('is read once when the page asks for it while it is read ahead', async () => {
    const t = await setup('cli');
    try {
      await call(t.web, '/', { headers: t.bearer });
      const status = await call(t.web, '/api/migrations:status', { method: 'POST', headers: { ...t.bearer, ...json }, body: JSON.stringify({ profileId: 'cli' }) });
      expect(JSON.parse(status.body)).toMatchObject({ ok: true });
      await new Promise((resolve) => setTimeout(resolve, 200)); // no second read follows
      expect(t.reads()).toBe(1);
    } finally {
      await t.close();
    }
  });
});

describe("a page's first status", () => {
  it('is read once the page is sent, not at the redirect, and not for its assets', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stepstone-web-prefetch-'));
    await mkdir(join(dir, 'static', 'assets'), { recursive: true });
    await writeFile(join(dir, 'static', 'index.html'), '<!doctype html><title>Stepstone</title>');
    await writeFile(join(dir, 'static', 'assets', 'app.js'), 'console.log("app")');
    const { engine } = createFakeEngine();
    const service = createService({ dataDir: join(dir, 'data'), mode: 'web', version: '0.0.0-test', demoMigrationsDir: join(dir, 'migrations'), emit: hub.emit, engine });
    const prefetch = vi.spyOn(service, 'prefetchStatus').mockImplementation(() => null);
    const web = await startWebServer({ service, events: hub, staticDir: join(dir, 'static') });
    try {
      const bearer = { authorization: `Bearer ${web.token}` };
      expect((await call(web, `/?token=${web.token}`)).status).toBe(302);
      expect(prefetch).not.toHaveBeenCalled(); // its CPU would hold up the page itself
      expect((await call(web, '/', { headers: bearer })).status).toBe(200);
      await vi.waitFor(() => expect(prefetch).toHaveBeenCalledTimes(1));
      // The page's code, and a later asset (a lazily loaded chunk), ask for nothing.
      await call(web, '/assets/app.js', { headers: bearer });
      await call(web, '/assets/app.js', { headers: bearer });
      expect(prefetch).toHaveBeenCalledTimes(1);
      // A reload asks again (the service answers from what it read ahead while that is fresh).
      await call(web, '/', { headers: bearer });
      await vi.waitFor(() => expect(prefetch).toHaveBeenCalledTimes(2));
    } finally {
      await web.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
