// The connections screen: Add connection → the form for the test database → Test connection
// reports the server version; a wrong port gets the error in plain words; Save opens it.
import { createServer } from 'node:net';
import { join } from 'node:path';
import { test, expect, openShell, waitForReady, ROOT } from './fixtures';
import { query } from '../test/database';
import { AppPage } from './pages/app-page';
import { ConnectionDialog } from './pages/connection-dialog';

/** A port nothing listens on (bound, then released). */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

test('Add connection: Test connection shows the server version; a wrong port is explained', async ({ page, database, webMode, saveScreen }) => {
  const server = await webMode([]);
  await openShell(page, server);
  const app = new AppPage(page);
  const url = new URL(database.url);
  const [{ server_version: version }] = await query<{ server_version: string }>(database.url, 'show server_version');

  const dialog = new ConnectionDialog(page);
  await dialog.openNew();
  await dialog.fill({
    name: 'Test database',
    host: url.hostname,
    port: url.port || '5432',
    user: decodeURIComponent(url.username) || 'postgres',
    database: database.name,
    migrationsFolder: join(ROOT, 'migrations'),
  });
  await saveScreen('add-connection-form');

  await dialog.test();
  const success = dialog.dialog.getByText(/^Connected to /);
  await expect(success).toContainText(`Connected to ${database.name}`);
  await expect(success).toContainText(`PostgreSQL ${version}`);
  await expect(success).toBeInViewport();
  await saveScreen('test-connection-ok');

  // Wrong port: a plain sentence naming the endpoint and what to check, not a stack trace.
  const wrongPort = String(await closedPort());
  await dialog.field('Port').fill(wrongPort);
  await dialog.test();
  const failure = dialog.dialog.getByRole('alert');
  await expect(failure).toContainText('Could not connect');
  await expect(failure).toBeInViewport();
  await expect(failure).toContainText(`Nothing accepts connections at 127.0.0.1:${wrongPort}`);
  await expect(failure).toContainText(/check the port/i);
  await expect(failure).not.toContainText(/ECONNREFUSED|at .*\.js:\d+/);
  await expect(success).toBeHidden();
  await saveScreen('test-connection-wrong-port');

  // Back to the right port, save: the connection is listed and opens on its timeline.
  await dialog.field('Port').fill(url.port || '5432');
  await dialog.save();
  const entry = page.getByRole('button', { name: /^Test database/ });
  await expect(entry).toHaveAttribute('aria-current', 'true');
  await waitForReady(page);
  await expect(app.timeline.options).toHaveCount(14);
  await saveScreen('saved-connection-timeline');
});
