// Web mode's guard: no token → 401, a foreign Origin or Host → 403, the printed link → a cookie.
import { request as httpRequest } from 'node:http';
import { test, expect, type WebMode } from './fixtures';

/** A raw HTTP request, so Host and Origin can be anything. */
function send(server: WebMode, path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const { port } = new URL(server.origin);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const json = { 'content-type': 'application/json' };

test('401 without the token, 403 for a foreign Origin or Host', async ({ page, webMode, saveScreen }) => {
  const server = await webMode([]);
  const bearer = { authorization: `Bearer ${server.token}` };

  // No token: the page and the API refuse.
  const page401 = await send(server, '/');
  expect(page401.status).toBe(401);
  expect(page401.body).toMatch(/Unauthorised/);
  expect((await send(server, '/api/app:info', { method: 'POST', headers: json, body: '{}' })).status).toBe(401);
  expect((await send(server, '/api/app:info', { method: 'POST', headers: { ...json, cookie: `stepstone_token=wrong; stepstone_token_${new URL(server.origin).port}=wrong` }, body: '{}' })).status).toBe(401);
  expect((await send(server, '/?token=wrong')).status).toBe(401);

  // With the token the same call works (the control for the refusals above).
  const ok = await send(server, '/api/app:info', { method: 'POST', headers: { ...json, ...bearer }, body: '{}' });
  expect(ok.status).toBe(200);
  expect(JSON.parse(ok.body)).toMatchObject({ ok: true });

  // A foreign Origin is refused even with the token (CSRF), as is a foreign Host (DNS rebinding).
  const foreign = await send(server, '/api/app:info', { method: 'POST', headers: { ...json, ...bearer, origin: 'http://evil.example' }, body: '{}' });
  expect(foreign.status).toBe(403);
  expect(foreign.body).toMatch(/Forbidden/);
  expect((await send(server, '/', { headers: { ...bearer, host: 'evil.example' } })).status).toBe(403);
  const ownOrigin = await send(server, '/api/app:info', { method: 'POST', headers: { ...json, ...bearer, origin: server.origin }, body: '{}' });
  expect(ownOrigin.status).toBe(200);

  // The printed link trades the token for an HttpOnly cookie and drops it from the address bar.
  const login = await send(server, `/?token=${server.token}`);
  expect(login.status).toBe(302);
  expect(String(login.headers['set-cookie'])).toMatch(/^stepstone_token[\w-]*=[^;]+;.*HttpOnly/);

  // What a browser without the link sees.
  const response = await page.goto(server.origin + '/');
  expect(response?.status()).toBe(401);
  await saveScreen('browser-without-token');
});
