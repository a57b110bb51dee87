// A connection's password on the desktop: kept only as safeStorage ciphertext (the OS keychain's
// key), never in the profiles file or any other file in plain text, never sent back to the page
// in an IPC answer or event; without a real keychain, saving it is refused and nothing is written.
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../fixtures';
import { AppPage } from '../pages/app-page';
import { ConnectionDialog } from '../pages/connection-dialog';
import { test, expect, waitForApp, waitForShell } from './fixtures';
import type { TestDatabase } from '../../test/database';

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

async function fillConnection(dialog: ConnectionDialog, database: TestDatabase, password: string): Promise<void> {
  const url = new URL(database.url);
  await dialog.fill({
    name: 'Keychain test',
    host: url.hostname,
    port: url.port || '5432',
    user: decodeURIComponent(url.username) || 'postgres',
    database: database.name,
    migrationsFolder: join(ROOT, 'migrations'),
    password,
  });
}

test('a saved password is stored only encrypted through safeStorage and never returned to the page', async ({ desktop, database, home, saveScreen }) => {
  const password = `pw-${randomBytes(12).toString('hex')}`;
  const app = await desktop();
  await waitForShell(app.page);
  const ui = new AppPage(app.page);

  const dialog = new ConnectionDialog(app.page);
  await dialog.openNew();
  await fillConnection(dialog, database, password);
  await expect(dialog.field('Password')).toHaveAttribute('type', 'password');
  await saveScreen('desktop-add-connection');
  await dialog.test();
  await expect(dialog.dialog.getByText(/^Connected to /)).toContainText(database.name);
  await dialog.save();
  await expect(app.page.getByRole('button', { name: /^Keychain test/ })).toHaveAttribute('aria-current', 'true');
  await waitForApp(app.page);
  await expect(ui.timeline.options).toHaveCount(14);

  // On disk: the profile without its password; the password as keychain ciphertext, owner-only.
  const profiles = readFileSync(join(home, 'profiles.json'), 'utf8');
  expect(profiles).toContain('Keychain test');
  expect(profiles).not.toContain(password);
  const secretsFile = join(home, 'secrets.json');
  expect(statSync(secretsFile).mode & 0o777).toBe(0o600);
  const secrets = JSON.parse(readFileSync(secretsFile, 'utf8')) as Record<string, string>;
  expect(Object.values(secrets)).toHaveLength(1);
  expect(await app.safeStorage.decrypt(Object.values(secrets)[0])).toBe(password);
  for (const file of filesUnder(home)) expect(readFileSync(file).includes(password), file).toBe(false);

  // Through safeStorage, once to store; read back (decrypted) to connect.
  const { safeStorage } = await app.records();
  expect(safeStorage.filter((s) => s.method === 'encryptString')).toHaveLength(1);
  expect(safeStorage.some((s) => s.method === 'decryptString')).toBe(true);

  // Over IPC: the page sent the password twice (test, save) and never got it back.
  const carried = app.host.records.ipc.filter((r) => JSON.stringify(r.args).includes(password)).map((r) => r.args[0]);
  expect(carried).toEqual(['profiles:test', 'profiles:save']);
  // Every answer is checked, so wait for the page's reads of the new connection (the adoption check comes
  // after its status) to be answered; only the demo's may stay pending (its PGlite may still be starting).
  const unanswered = () =>
    app.host.records.ipc.filter((r) => r.value === undefined && r.error === undefined && !JSON.stringify(r.args[1]).includes('"profileId":"demo"')).map((r) => r.args[0]);
  await expect.poll(unanswered, { timeout: 30_000 }).toEqual([]);
  const answered = app.host.records.ipc.filter((r) => JSON.stringify(r.value ?? r.error ?? null).includes(password));
  expect(answered).toEqual([]);
  expect(app.host.records.sent.filter((e) => JSON.stringify(e.args).includes(password))).toEqual([]);
  const listed = app.host.records.ipc.filter((r) => r.args[0] === 'profiles:list' && r.ok).at(-1)!.value as { value: Array<{ name: string; hasPassword: boolean }> };
  expect(listed.value.find((p) => p.name === 'Keychain test')).toMatchObject({ hasPassword: true });
});

test('without an OS keychain (basic_text), a password is not saved and nothing is written', async ({ desktop, database, home }) => {
  const password = `pw-${randomBytes(12).toString('hex')}`;
  const app = await desktop({ safeStorage: { backend: 'basic_text' } });
  await waitForShell(app.page);

  const dialog = new ConnectionDialog(app.page);
  await dialog.openNew();
  await fillConnection(dialog, database, password);
  await dialog.dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(dialog.dialog.getByRole('alert')).toContainText('No OS keychain is available');
  await expect(dialog.dialog).toBeVisible();

  expect(existsSync(join(home, 'secrets.json'))).toBe(false);
  expect(existsSync(join(home, 'profiles.json')) ? readFileSync(join(home, 'profiles.json'), 'utf8') : '').not.toContain('Keychain test');
  for (const file of filesUnder(home)) expect(readFileSync(file).includes(password), file).toBe(false);
  expect((await app.records()).safeStorage).toEqual([]);
});
