// First launch in either shell: with nothing but an empty data folder the app opens the embedded
// demo (PGlite with the sample migrations); Upgrade and Rollback run on it with live progress, and
// the history records both. On the desktop the progress events must cross IPC while the run is
// going (before its answer), as webContents.send events the preload hands to the renderer.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AppEvent } from '../../src/shared/contract';
import { ROOT } from '../fixtures';
import type { DesktopApp } from '../desktop/desktop-app';
import { AppPage } from '../pages/app-page';
import { test, expect } from '../shells';
import { waitForApp } from '../desktop/fixtures';

const SAMPLE = readdirSync(join(ROOT, 'migrations')).filter((f) => /\.(ts|js|cjs|mjs)$/.test(f)).sort();

test('first launch opens the embedded demo; upgrade and rollback run with live progress', async ({ stepstone, saveScreen }) => {
  // PGlite's first start, then two dry runs and two runs on it: slow on a busy machine.
  test.slow();
  const { page, desktop } = await stepstone.open({ ready: false });
  const app = new AppPage(page);
  // The timeline does not wait for the embedded database: the folder's files are listed first,
  // then their states fill in once PGlite has started (initdb: seconds, far more on a busy machine).
  await app.timeline.expectStates(SAMPLE.map((name) => ({ name, state: 'state not read yet' })));
  await expect(page.getByRole('status').filter({ hasText: 'Reading the database…' })).toBeVisible();
  await waitForApp(page, 120_000);
  await expect(page.getByRole('button', { name: /Demo \(embedded\)/ })).toHaveAttribute('aria-current', 'true');
  await app.timeline.expectStates(SAMPLE.map((name) => ({ name, state: 'pending' })));
  await saveScreen('demo-pending');

  // The plan dialog dry-runs the plan before its button is enabled (on the demo's PGlite: slow on a busy machine).
  await app.button('Upgrade').click();
  await expect(app.plan.action(`Upgrade ${SAMPLE.length} migrations`)).toBeEnabled({ timeout: 60_000 });
  await app.plan.confirm(`Upgrade ${SAMPLE.length} migrations`);
  await app.run.expectDone();
  await app.run.close();
  await app.waitIdle();
  await app.timeline.expectStates(SAMPLE.map((name) => ({ name, state: 'applied' })));
  await expect(app.timeline.row(SAMPLE.at(-1)!)).toHaveAccessibleName(/, batch 1, head/);
  await saveScreen('demo-applied');

  await app.button('Rollback').click();
  await expect(app.plan.action(`Roll back ${SAMPLE.length} migrations`)).toBeEnabled({ timeout: 60_000 });
  await app.plan.confirm(`Roll back ${SAMPLE.length} migrations`);
  await app.run.expectDone();
  await app.run.close();
  await app.waitIdle();
  await app.timeline.expectStates(SAMPLE.map((name) => ({ name, state: 'pending' })));

  await app.showView('History');
  await expect(app.history.entry('upgrade', 'succeeded')).toHaveCount(1);
  await expect(app.history.entry('rollback', 'succeeded')).toHaveCount(1);
  await saveScreen('demo-history');

  if (desktop) expectLiveProgress(desktop, [SAMPLE, [...SAMPLE].reverse()]);
});

/** Each run's progress events reached the page, in order, before the run's own answer did. */
function expectLiveProgress(desktop: DesktopApp, expectedOrders: string[][]): void {
  const runs = desktop.host.records.ipc.filter((r) => r.args[0] === 'migrations:execute');
  expect(runs).toHaveLength(expectedOrders.length);
  runs.forEach((run, i) => {
    const runId = (run.args[1] as { runId: string }).runId;
    const events = desktop.host.records.sent
      .filter((e) => e.channel === 'stepstone:event')
      .map((e) => ({ ...e, event: e.args[0] as AppEvent }))
      .filter((e) => e.event.type === 'migrations:progressed' && e.event.runId === runId);
    const steps = events.map((e) => (e.event.type === 'migrations:progressed' ? e.event.event : null));
    expect(steps.flatMap((s) => (s?.type === 'started' ? [s.name] : []))).toEqual(expectedOrders[i]);
    expect(steps.flatMap((s) => (s?.type === 'finished' ? [s.name] : []))).toEqual(expectedOrders[i]);
    expect(run.settledAt).not.toBeNull();
    for (const e of events) {
      expect(e.delivered).toBe(true);
      expect(e.at!).toBeLessThan(run.settledAt!);
    }
  });
}
