// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { createAppStore } from '../../store/app-store';
import { createFakeClient } from '../../test/fake-client';
import { buttonNamed, press, render, settle, type Rendered } from '../../test/render';
import { PlanDialog } from './PlanDialog';
import { RunProgress } from '../run-progress/RunProgress';

let view: Rendered | undefined;
afterEach(() => view?.unmount());

async function open(profileId: 'demo' | 'prod', options: Parameters<typeof createFakeClient>[0] = {}) {
  const fake = createFakeClient({ appliedCount: 1, ...options });
  const store = createAppStore(fake.client);
  await store.getState().init();
  await store.getState().openProfile(profileId);
  view = await render(store, (<><PlanDialog /><RunProgress /></>));
  await settle(() => store.getState().openPlan({ kind: 'upgrade' }));
  return { store, fake, dialog: () => document.querySelector('[role="dialog"]')! };
}

/** Tick the checkbox whose label matches. */
async function tick(root: ParentNode, label: RegExp) {
  const box = Array.from(root.querySelectorAll('label')).find((l) => label.test(l.textContent ?? ''))?.querySelector('input');
  if (!box) throw new Error(`no checkbox labelled ${label}`);
  await settle(() => box.click());
}

function typeInto(input: HTMLInputElement, value: string) {
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
  setter.call(input, value);
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

describe('PlanDialog', () => {
  it('titles the action, lists numbered steps with the backup first, and focuses Cancel', async () => {
    const { dialog } = await open('demo');
    expect(dialog().querySelector('h2')?.textContent).toBe('Upgrade Demo: 3 migrations');
    const steps = Array.from(dialog().querySelectorAll('.plan-step')).map((li) => li.textContent);
    expect(steps[0]).toContain('0.');
    expect(steps[0]).toContain('Backup before migrating');
    expect(steps[1]).toContain('20250102000000_add_email.ts');
    expect(document.activeElement?.textContent).toBe('Cancel');
    expect(buttonNamed(dialog(), 'Upgrade 3 migrations')).toBeDefined();
  });

  it('on production keeps the primary disabled until the database name is typed, and passes it on', async () => {
    const { dialog, fake, store } = await open('prod');
    const primary = () => buttonNamed(dialog(), 'Upgrade 3 migrations')!;
    expect(primary().disabled).toBe(true);
    const input = dialog().querySelector<HTMLInputElement>('.typed-confirmation input')!;
    await settle(() => typeInto(input, 'billin'));
    expect(primary().disabled).toBe(true);
    await settle(() => typeInto(input, 'billing'));
    expect(primary().disabled).toBe(false);
    await settle(() => primary().click());
    await settle();
    const execute = fake.calls.find((c) => c.channel === 'migrations:execute');
    expect(execute?.request).toMatchObject({ confirmation: 'billing' });
    expect(store.getState().run?.result?.outcome).toBe('succeeded');
    expect(document.querySelector('[role="dialog"] h2')?.textContent).toBe('Upgrade 3 migrations: done');
  });

  it("asks for the name the plan's confirmation gives, not one it works out from the profile or the status", async () => {
    // Canned: the engine's plan asks for billing-eu (the status says billing, the profile production).
    const { dialog, fake } = await open('prod', { prodConfirmation: { kind: 'typed-name', name: 'billing-eu' } });
    const primary = () => buttonNamed(dialog(), 'Upgrade 3 migrations')!;
    expect(dialog().querySelector('.typed-confirmation label')?.textContent).toBe('Type billing-eu to confirm');
    const input = dialog().querySelector<HTMLInputElement>('.typed-confirmation input')!;
    await settle(() => typeInto(input, 'billing'));
    expect(primary().disabled).toBe(true);
    await settle(() => typeInto(input, 'billing-eu'));
    expect(primary().disabled).toBe(false);
    await settle(() => primary().click());
    await settle();
    expect(fake.calls.find((c) => c.channel === 'migrations:execute')?.request).toMatchObject({ confirmation: 'billing-eu' });
  });

  it('asks for no name when the plan says a click will do, whatever the profile says', async () => {
    const { dialog, fake } = await open('prod', { prodConfirmation: { kind: 'click' } });
    expect(dialog().querySelector('.typed-confirmation')).toBeNull();
    const primary = buttonNamed(dialog(), 'Upgrade 3 migrations')!;
    expect(primary.disabled).toBe(false);
    await settle(() => primary.click());
    await settle();
    expect(fake.calls.find((c) => c.channel === 'migrations:execute')?.request).toMatchObject({ confirmation: undefined });
  });

  it('on production opens empty every time: after a confirmed upgrade, after Cancel, and when the rollback mode changes', async () => {
    const { dialog, store } = await open('prod');
    const input = () => dialog().querySelector<HTMLInputElement>('.typed-confirmation input')!;
    const primary = () => buttonNamed(dialog(), /^(Upgrade|Roll back) \d/)!;
    await settle(() => typeInto(input(), 'billing'));
    await settle(() => primary().click());
    await settle();
    await settle(() => store.getState().closeRun());

    await settle(() => store.getState().openPlan({ kind: 'rollback', mode: 'last-batch' }));
    expect(input().value).toBe('');
    expect(primary().disabled).toBe(true);
    await settle(() => typeInto(input(), 'billing'));
    expect(primary().disabled).toBe(false);
    await press(dialog(), 'Escape');

    await settle(() => store.getState().openPlan({ kind: 'rollback', mode: 'to', to: '20250101000000_create_users.ts' }));
    expect(input().value).toBe('');
    expect(primary().disabled).toBe(true);
    await settle(() => typeInto(input(), 'billing'));
    await settle(() => store.getState().openPlan({ kind: 'rollback', mode: 'steps', steps: 1 }));
    expect(input().value).toBe('');
    expect(primary().disabled).toBe(true);
  });

  it('blocks a plan whose dry run fails, shows the statement and message, and continues only by explicit choice', async () => {
    const { dialog, fake } = await open('demo', { dryRunFailOn: '20250103000000_create_orders.ts' });
    const primary = () => buttonNamed(dialog(), 'Upgrade 3 migrations')!;
    const blocking = dialog().querySelector('[aria-label="Blocking findings"]')!;
    expect(blocking.textContent).toContain('20250103000000_create_orders.ts fails in the dry run');
    expect(blocking.textContent).toContain('relation "no_such_table" does not exist');
    expect(blocking.textContent).toContain('insert into "no_such_table"');
    expect(primary().disabled).toBe(true);
    await tick(dialog(), /Continue anyway/);
    expect(primary().disabled).toBe(false);
    // The SQL tab highlights the failing statement.
    await settle(() => buttonNamed(blocking, 'Show in the SQL')!.click());
    const bands = dialog().querySelectorAll('.code-band');
    expect(bands.length).toBeGreaterThan(0);
    expect(dialog().querySelector('[role="region"][aria-label="SQL of the plan"]')).not.toBeNull();
    expect(fake.calls.some((c) => c.channel === 'migrations:execute')).toBe(false);
  });

  it('never lets a failing dry run through on production', async () => {
    const { dialog } = await open('prod', { dryRunFailOn: '20250103000000_create_orders.ts' });
    const blocking = dialog().querySelector('[aria-label="Blocking findings"]')!;
    expect(blocking.textContent).toContain('This blocks the plan here.');
    expect(Array.from(blocking.querySelectorAll('label')).some((l) => /Continue anyway/.test(l.textContent ?? ''))).toBe(false);
    const input = dialog().querySelector<HTMLInputElement>('.typed-confirmation input')!;
    await settle(() => typeInto(input, 'billing'));
    expect(buttonNamed(dialog(), 'Upgrade 3 migrations')!.disabled).toBe(true);
  });

  it('makes drift since the last operation a warning that needs a tick', async () => {
    const { dialog } = await open('demo', { drifted: true, appliedCount: 2 });
    const primary = () => buttonNamed(dialog(), 'Upgrade 2 migrations')!;
    const warnings = dialog().querySelector('[aria-label="Warnings"]')!;
    expect(warnings.textContent).toContain('Schema drift: 1 change outside migrations since the last operation');
    // "Not transactional" is a note: nothing to tick for it.
    expect(dialog().querySelector('[aria-label="Notes"]')?.textContent).toContain('Not transactional');
    expect(primary().disabled).toBe(true);
    await tick(dialog(), /I have read this warning/);
    expect(primary().disabled).toBe(false);
  });

  it('closes on Escape without executing', async () => {
    const { dialog, fake, store } = await open('demo');
    await press(dialog(), 'Escape');
    expect(store.getState().planDialog).toBeNull();
    expect(fake.calls.some((c) => c.channel === 'migrations:execute')).toBe(false);
  });

  it('says "Up to date" and offers no execute when the plan is empty', async () => {
    const { store, dialog } = await open('demo');
    await settle(() => store.getState().openPlan({ kind: 'upgrade' }));
    await settle(() => store.getState().execute());
    await settle(() => store.getState().closeRun());
    await settle(() => store.getState().openPlan({ kind: 'upgrade' }));
    expect(dialog().textContent).toContain('Up to date');
    expect(buttonNamed(dialog(), /^Upgrade \d/)).toBeUndefined();
  });
});
