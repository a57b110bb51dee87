// The seam between the page and the main process, on the built main bundle, preload and renderer:
// the page sees the preload's `window.stepstone` and nothing of Electron or Node; a malformed call
// gets the contract's error; a page on another origin that somehow got the preload is refused by
// the IPC sender check; the session's CSP header and permission refusals reach the page.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CONTENT_SECURITY_POLICY } from '../../src/shared/content-security-policy';
import { test, expect } from './fixtures';
import { ROOT } from '../fixtures';

test('the page sees exactly the preload’s object: no require, process, ipcRenderer or other global', async ({ desktop, browser }) => {
  // The window has loaded (desktop() waits for it); the demo's status need not be ready for these checks.
  const app = await desktop();
  expect(app.host.records.exposed).toEqual([{ key: 'stepstone', shape: { invoke: 'function', subscribe: 'function' } }]);
  expect(app.host.records.preloadErrors).toEqual([]);

  const seen = await app.page.evaluate(() => {
    const w = window as unknown as Record<string, unknown>;
    return {
      types: ['require', 'process', 'module', 'exports', 'Buffer', 'global', 'ipcRenderer', 'electron', 'contextBridge'].map((name) => `${name}: ${typeof w[name]}`),
      bridgeKeys: Object.keys(w.stepstone as object).sort(),
      globals: Object.getOwnPropertyNames(window),
    };
  });
  expect(seen.types).toEqual(['require', 'process', 'module', 'exports', 'Buffer', 'global', 'ipcRenderer', 'electron', 'contextBridge'].map((n) => `${n}: undefined`));
  expect(seen.bridgeKeys).toEqual(['invoke', 'subscribe']);

  // Against the same built renderer opened in a plain page (no preload, no bridge), the app's
  // window has one more own global: the bridge. (Playwright's tracing adds its own; not the app's.)
  const plain = await (await browser.newContext()).newPage();
  await plain.goto(pathToFileURL(join(ROOT, 'out', 'renderer', 'index.html')).toString());
  const baseline = new Set(await plain.evaluate(() => Object.getOwnPropertyNames(window)));
  await plain.context().close();
  expect(seen.globals.filter((name) => !baseline.has(name) && !name.startsWith('__playwright'))).toEqual(['stepstone']);

  // The page cannot replace or extend the bridge.
  const tampered = await app.page.evaluate(() => {
    const w = window as unknown as { stepstone: Record<string, unknown> };
    try {
      (w as unknown as Record<string, unknown>).stepstone = { invoke: () => 'mine' };
    } catch {
      /* strict mode would throw; either way it must not stick */
    }
    try {
      w.stepstone.extra = 1;
    } catch {
      /* frozen */
    }
    return { keys: Object.keys(w.stepstone).sort(), replaced: typeof w.stepstone.invoke !== 'function' || String(w.stepstone.invoke).includes('mine') };
  });
  expect(tampered).toEqual({ keys: ['invoke', 'subscribe'], replaced: false });
});

/** The saved profiles file as it is now (null when there is none). */
function profilesFile(home: string): string | null {
  const path = join(home, 'profiles.json');
  return existsSync(path) ? readFileSync(path, 'utf8') : null;
}

test('a malformed request gets the contract’s error, and nothing is written', async ({ desktop, home }) => {
  const app = await desktop();
  const before = profilesFile(home);
  const answers = await app.page.evaluate(async () => {
    const bridge = (window as unknown as { stepstone: { invoke(channel: unknown, request: unknown): Promise<unknown> } }).stepstone;
    return {
      wrongType: await bridge.invoke('migrations:status', { profileId: 42 }),
      missingField: await bridge.invoke('profiles:save', {}),
      unknownChannel: await bridge.invoke('shell:exec', { command: 'rm -rf /' }),
      channelNotAString: await bridge.invoke(42, {}),
      protoKey: await bridge.invoke('__proto__', {}),
    };
  });
  expect(answers.wrongType).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('migrations:status') } });
  expect(answers.missingField).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('profiles:save') } });
  expect(answers.unknownChannel).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('shell:exec') } });
  expect(answers.channelNotAString).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  expect(answers.protoKey).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  expect(profilesFile(home)).toBe(before);
});

test('an IPC call from a page on another origin is refused by the sender check', async ({ desktop, home }) => {
  const app = await desktop();
  const before = profilesFile(home);
  const foreign = 'https://foreign.example/landing';
  app.serveSite(foreign, '<!doctype html><title>Not Stepstone</title><p>elsewhere</p>');
  // A navigation the guards did not see (a bug, a redirect): the preload runs on the foreign page too.
  await app.navigateAroundGuards(foreign);
  expect(app.page.url()).toBe(foreign);
  const answers = await app.page.evaluate(async () => {
    const bridge = (window as unknown as { stepstone?: { invoke(channel: string, request: unknown): Promise<unknown> } }).stepstone;
    if (!bridge) return null;
    return {
      info: await bridge.invoke('app:info', {}),
      save: await bridge.invoke('profiles:save', {
        profile: { id: 'evil', name: 'Evil', environment: 'local', kind: 'postgres', host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres', migrations: { directories: ['/tmp'] } },
      }),
    };
  });
  expect(answers).not.toBeNull();
  expect(answers!.info).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  expect(answers!.save).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  const calls = app.host.records.ipc.filter((r) => r.senderUrl === foreign);
  expect(calls).toHaveLength(2);
  expect(profilesFile(home)).toBe(before);
});

test('the session’s CSP header reaches every response, inline script does not run, permissions are refused', async ({ desktop }) => {
  const app = await desktop();
  const records = await app.records();
  expect(records.session).toMatchObject({ headersHooks: 1, permissionRequestHandler: true, permissionCheckHandler: true });
  const responses = app.host.records.responses;
  expect(responses.map((r) => r.resourceType)).toEqual(expect.arrayContaining(['mainFrame', 'script', 'stylesheet']));
  for (const response of responses) expect(response.headers['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);

  const blocked = await app.page.evaluate(async () => {
    const violation = new Promise<string>((resolve) => document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective), { once: true }));
    const script = document.createElement('script');
    script.textContent = 'window.__inlineRan = true';
    document.head.append(script);
    return { ran: (window as unknown as { __inlineRan?: boolean }).__inlineRan === true, directive: await violation };
  });
  expect(blocked).toEqual({ ran: false, directive: expect.stringMatching(/^script-src/) });

  expect(app.host.records.permissions.map((p) => `${p.permission}: ${p.setting}`)).toEqual(['media: denied', 'geolocation: denied', 'notifications: denied', 'midi: denied', 'clipboard-read: denied']);
  const states = await app.page.evaluate(async () => ({
    geolocation: (await navigator.permissions.query({ name: 'geolocation' })).state,
    notifications: (await navigator.permissions.query({ name: 'notifications' })).state,
  }));
  expect(states).toEqual({ geolocation: 'denied', notifications: 'denied' });
});
