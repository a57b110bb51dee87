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

describe('ConnectionDialog: Import URL', () => {
  it("fills the form with the engine's reading of the URL (the renderer parses none itself)", async () => {
    const fake = createFakeClient();
    const store = createAppStore(fake.client);
    await store.getState().init();
    const existing = store.getState().profiles.find((p) => p.id === 'prod')!;
    view = await render(store, <ConnectionDialog title="Edit" initial={formFromProfile(existing)} existing={existing} onClose={() => {}} />);
    const input = document.getElementById('connection-url') as HTMLInputElement;
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
    await settle(() => {
      setter.call(input, 'postgres://anything');
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    const importButton = Array.from(document.querySelectorAll('button')).find((b) => b.textContent === 'Import')!;
    await settle(() => importButton.click());
    expect(fake.calls.filter((c) => c.channel === 'profiles:parse-url').map((c) => c.request)).toEqual([{ url: 'postgres://anything' }]);
    const value = (label: string) => (Array.from(document.querySelectorAll('label')).find((l) => l.textContent?.trim().startsWith(label))?.parentElement?.querySelector('input') as HTMLInputElement | null)?.value;
    expect(value('Host')).toBe('db.example.com');
    expect(value('Port')).toBe('6543');
  });
});
