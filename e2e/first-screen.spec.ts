// The first screen's start-up work that is not the app's own code: Intl's locale data loads in a
// worker started by the page's first script (public/intl-warm-up.js), under the page's CSP, and
// the times the first rows show are formatted as before.
import { test, expect, openApp } from './fixtures';
import { createTableMigration, makeProject } from './temp-project';

test("Intl's locale data loads in a worker the page's first script starts, within the CSP", async ({ page, database, webMode }) => {
  const project = makeProject('first-screen', [createTableMigration('20250101000001_create_alpha.js', 'alpha')]);
  try {
    const server = await webMode(['--db', database.url, '--migrations', project.migrations]);
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    const workers: string[] = [];
    page.on('worker', (worker) => workers.push(new URL(worker.url()).pathname));
    await openApp(page, server);
    expect(await page.evaluate(() => document.documentElement.dataset.intlWarmUp)).toBe('worker');
    expect(workers).toEqual(['/intl-warm-up-worker.js']);
    // The worker says it is done and is ended: the page keeps no idle worker.
    await expect.poll(() => page.workers().length).toBe(0);
    expect(problems).toEqual([]);
    // And the page works as before: its one (pending) migration is listed.
    await expect(page.getByRole('listbox', { name: 'Migrations' }).getByRole('option')).toHaveCount(1);
  } finally {
    project.cleanup();
  }
});
