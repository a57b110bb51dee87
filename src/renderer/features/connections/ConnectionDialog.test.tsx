// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { createAppStore } from '../../store/app-store';
import { createFakeClient } from '../../test/fake-client';
import { render, settle, type Rendered } from '../../test/render';
import { ConnectionDialog } from './ConnectionDialog';
import { formFromProfile } from './profile-form';

let view: Rendered | undefined;
afterEach(() => view?.unmount());

async function openEditor(change: (p: import('../../../shared/contract').ProfileView) => import('../../../shared/contract').ProfileView) {
  const fake = createFakeClient();
  const store = createAppStore(fake.client);
  await store.getState().init();
  const existing = change(store.getState().profiles.find((p) => p.id === 'prod')!);
  view = await render(store, <ConnectionDialog title="Edit" initial={formFromProfile(existing)} existing={existing} onClose={() => {}} />);
  const backupSwitch = Array.from(document.querySelectorAll('label')).find((l) => /Back up before every/.test(l.textContent ?? ''))!.querySelector('input')!;
  return { backupSwitch, decision: () => document.querySelector('[aria-label="Backup decision"]')?.textContent ?? null };
}

describe('ConnectionDialog: the backup', () => {
  it("shows the engine's decision for the saved profile, and the switch is the profile's own setting", async () => {
    // A canned decision no rule in the renderer could produce: the form must show it, not its own guess.
    const { backupSwitch, decision } = await openEditor((p) => ({ ...p, environment: 'production', backupBeforeMigrate: false, backup: { take: true, reason: 'canned: the engine said so' } }));
    expect(decision()).toBe('Backs up first: canned: the engine said so');
    expect(backupSwitch.checked).toBe(false);
    expect(backupSwitch.disabled).toBe(false);
    await settle(() => backupSwitch.click());
    expect(backupSwitch.checked).toBe(true);
    expect(decision()).toMatch(/\(as saved; the plan says what applies once saved\)$/);
  });

  it('says when the engine takes no backup', async () => {
    const { decision } = await openEditor((p) => ({ ...p, environment: 'staging', backupBeforeMigrate: false, backup: { take: false, reason: 'canned: turned off' } }));
    expect(decision()).toBe('No backup first: canned: turned off');
  });
});
