// The window never leaves the app: a navigation to another origin or another file is prevented
// by the main process's will-navigate listener, window.open and middle-click open nothing, and
// only links to the allow-listed documentation hosts reach the user's browser (shell.openExternal).
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { ROOT } from '../fixtures';
import { test, expect } from './fixtures';

const APP_URL = pathToFileURL(join(ROOT, 'out', 'renderer', 'index.html')).toString();

/** Put a link in the page (as a renderer bug or injected content might) and return its locator. */
async function addLink(page: Page, href: string, id: string) {
  await page.evaluate(
    ({ href, id }) => {
      const a = document.createElement('a');
      a.href = href;
      a.id = id;
      a.textContent = id;
      a.style.cssText = 'position:fixed;top:4px;left:4px;z-index:99999;padding:8px;background:yellow';
      document.body.append(a);
    },
    { href, id },
  );
  return page.locator(`#${id}`);
}

test('navigation to another origin or file is refused and the page stays the app', async ({ desktop }) => {
  const app = await desktop();
  const { page } = app;

  await page.evaluate(() => {
    location.href = 'https://evil.example/phish';
  });
  await expect.poll(() => app.host.records.navigations).toEqual([{ url: 'https://evil.example/phish', prevented: true }]);
  expect(page.url()).toBe(APP_URL);

  await (await addLink(page, 'file:///etc/passwd', 'local-file')).click();
  await expect.poll(() => app.host.records.navigations.length).toBe(2);
  expect(app.host.records.navigations[1]).toEqual({ url: 'file:///etc/passwd', prevented: true });
  expect(page.url()).toBe(APP_URL);

  // Prevented before any byte was asked of the network, and nothing went to the user's browser.
  expect(app.host.records.offline).toEqual([]);
  expect((await app.records()).shell).toEqual([]);
  await expect(page.locator('#root')).not.toBeEmpty();
});

test('window.open opens nothing; an allow-listed documentation link goes to the browser instead', async ({ desktop, context }) => {
  const app = await desktop();
  const { page } = app;

  await page.evaluate(() => void window.open('https://evil.example/popup'));
  await expect.poll(() => app.host.records.popups).toEqual([{ url: 'https://evil.example/popup', action: 'deny' }]);
  await page.evaluate(() => void window.open('https://knexjs.org/guide/migrations.html', '_blank', 'noopener'));
  await expect.poll(() => app.host.records.popups.length).toBe(2);
  expect(app.host.records.popups[1]).toEqual({ url: 'https://knexjs.org/guide/migrations.html', action: 'deny' });
  await expect.poll(() => context.pages().length).toBe(1);

  // A plain link to an allow-listed host is kept out of the window too, and handed to the browser.
  await (await addLink(page, 'https://www.postgresql.org/docs/current/explicit-locking.html', 'docs')).click();
  await expect.poll(async () => (await app.records()).shell).toEqual([
    { method: 'openExternal', arg: 'https://knexjs.org/guide/migrations.html' },
    { method: 'openExternal', arg: 'https://www.postgresql.org/docs/current/explicit-locking.html' },
  ]);
  expect(page.url()).toBe(APP_URL);
  expect(app.host.records.offline).toEqual([]);
});

test('a middle-click on a link opens no window and asks nothing of the main process', async ({ desktop, context }) => {
  const app = await desktop();
  const { page } = app;
  const link = await addLink(page, 'https://evil.example/middle', 'middle');
  const prevented = page.evaluate(() => new Promise<boolean>((resolve) => document.addEventListener('auxclick', (e) => setTimeout(() => resolve(e.defaultPrevented)), { once: true })));
  await link.click({ button: 'middle' });
  expect(await prevented).toBe(true);
  // Give a new window every chance to appear: a left click afterwards is handled (and refused) first.
  await (await addLink(page, 'https://evil.example/after', 'after')).click();
  await expect.poll(() => app.host.records.navigations.map((n) => n.url)).toEqual(['https://evil.example/after']);
  expect(app.host.records.popups).toEqual([]);
  expect(context.pages()).toHaveLength(1);
  expect(page.url()).toBe(APP_URL);
});
