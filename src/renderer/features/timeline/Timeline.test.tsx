// @vitest-environment happy-dom
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAppStore } from '../../store/app-store';
import { createFakeClient } from '../../test/fake-client';
import { press, render, settle, type Rendered } from '../../test/render';
import { Timeline, centredOffset } from './Timeline';
import type { TimelineRow } from '../../store/timeline-model';

// Each migration row's renders, by name: the list re-renders on every scroll event, its rows need not.
const rowRenders = vi.hoisted(() => [] as string[]);
vi.mock('./TimelineRow', async (importOriginal) => {
  const original = await importOriginal<typeof import('./TimelineRow')>();
  return {
    ...original,
    MigrationRowView: (props: Parameters<typeof original.MigrationRowView>[0]) => {
      rowRenders.push(props.row.name);
      return original.MigrationRowView(props);
    },
  };
});

let view: Rendered | undefined;
afterEach(() => view?.unmount());

// happy-dom has no layout: give elements a size so the virtualiser renders rows.
beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 600 });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 800 });
  HTMLElement.prototype.getBoundingClientRect = function () {
    return { x: 0, y: 0, top: 0, left: 0, bottom: 600, right: 800, width: 800, height: 600, toJSON: () => ({}) } as DOMRect;
  };
});

async function setup(appliedCount: number) {
  const fake = createFakeClient({ appliedCount });
  const store = createAppStore(fake.client);
  await store.getState().init();
  view = await render(store, <Timeline />);
  return { store, fake, listbox: view.container.querySelector('[role="listbox"]')! };
}

describe('Timeline', () => {
  it('lists the folder’s files, without a state, while the database is read', async () => {
    const fake = createFakeClient({ appliedCount: 2 });
    const store = createAppStore(fake.client);
    await store.getState().loadProfiles();
    store.setState({ activeProfileId: 'demo' });
    await store.getState().refreshListing();
    view = await render(store, <Timeline />);
    const options = Array.from(view.container.querySelectorAll('[role="listbox"] [role="option"]'));
    expect(options.map((o) => o.getAttribute('aria-label'))).toEqual([
      '1 of 4, 20250101000000_create_users.ts, state not read yet',
      '2 of 4, 20250102000000_add_email.ts, state not read yet',
      '3 of 4, 20250103000000_create_orders.ts, state not read yet',
      '4 of 4, 20250104000000_add_index.ts, state not read yet',
    ]);
    expect(options.every((o) => o.getAttribute('aria-disabled') === 'true')).toBe(true);
    expect(view.container.querySelector('[role="status"]')?.textContent).toBe('Reading the database… 4 migration files listed from the folder.');
    // The status replaces the listing, states and all.
    await store.getState().refreshStatus();
    await settle();
    expect(store.getState().listing).toBeNull();
    expect(view.container.querySelector('[role="status"]')).toBeNull();
    expect(view.container.querySelector('[role="option"]')?.getAttribute('aria-label')).toBe('1 of 4, 20250101000000_create_users.ts, applied, batch 1');
  });

  it('is a listbox named Migrations whose options read position, file name and state', async () => {
    const { listbox } = await setup(2);
    expect(listbox.getAttribute('aria-label')).toBe('Migrations');
    const labels = Array.from(listbox.querySelectorAll('[role="option"]')).map((o) => o.getAttribute('aria-label'));
    expect(labels).toEqual([
      '1 of 4, 20250101000000_create_users.ts, applied, batch 1',
      '2 of 4, 20250102000000_add_email.ts, applied, batch 1, head',
      '3 of 4, 20250103000000_create_orders.ts, pending',
      '4 of 4, 20250104000000_add_index.ts, pending',
    ]);
    expect(listbox.textContent).toContain('2 pending');
  });

  it('moves the selection with j/k and arrow keys, skipping the divider', async () => {
    const { listbox, store } = await setup(2);
    await press(listbox, 'j');
    expect(store.getState().selectedName).toBe('20250101000000_create_users.ts');
    await press(listbox, 'ArrowDown');
    await press(listbox, 'ArrowDown');
    expect(store.getState().selectedName).toBe('20250103000000_create_orders.ts');
    expect(listbox.getAttribute('aria-activedescendant')).toBe('migration-20250103000000_create_orders_ts');
    expect(listbox.querySelector('[aria-selected="true"]')?.getAttribute('aria-label')).toContain('create_orders');
    await press(listbox, 'k');
    expect(store.getState().selectedName).toBe('20250102000000_add_email.ts');
  });

  it('Enter on a pending row opens the plan "upgrade to here", never runs it', async () => {
    const { listbox, store, fake } = await setup(1);
    store.getState().select('20250103000000_create_orders.ts');
    await settle();
    await press(listbox, 'Enter');
    expect(store.getState().planDialog?.request).toEqual({ kind: 'upgrade', to: '20250103000000_create_orders.ts' });
    expect(fake.calls.some((c) => c.channel === 'migrations:execute')).toBe(false);
  });

  it('marks non-transactional migrations once a plan told us', async () => {
    const { listbox, store } = await setup(0);
    await settle(() => store.getState().openPlan({ kind: 'upgrade' }));
    const label = listbox.querySelector('#migration-20250104000000_add_index_ts')?.getAttribute('aria-label');
    expect(label).toContain('non-transactional');
  });
});

describe('centredOffset', () => {
  const listed = (n: number): TimelineRow[] => Array.from({ length: n }, (_, i) => ({ kind: 'listed', key: `k${i}`, name: `m${i}`, position: i + 1, total: n }));
  it('puts the target row in the middle of the view, as scrollToIndex(…, center) does, within the list', () => {
    const rows = listed(100); // 32 px each
    expect(centredOffset(rows, 50, 320)).toBe(50 * 32 + (32 - 320) / 2);
    expect(centredOffset(rows, 2, 320)).toBe(0); // not above the top
    expect(centredOffset(rows, 99, 320)).toBe(100 * 32 - 320); // nor past the end
    expect(centredOffset(rows, 0, 320)).toBe(0);
    const withDivider: TimelineRow[] = [...rows.slice(0, 10), { kind: 'divider', key: 'divider', pending: 90 }, ...rows.slice(10)];
    expect(centredOffset(withDivider, 10, 100)).toBe(10 * 32 + (30 - 100) / 2);
  });

  it('re-renders a row only when what it shows changes: not on a scroll, only the two rows a new selection changes', async () => {
    const { listbox, store } = await setup(2);
    const names = Array.from(listbox.querySelectorAll('[role="option"]')).map((o) => o.getAttribute('aria-label')!.split(', ')[1]);
    expect(names).toHaveLength(4);
    rowRenders.length = 0;
    // The virtualiser re-renders the list on a scroll event (its offset and range).
    listbox.scrollTop = 1;
    listbox.dispatchEvent(new Event('scroll'));
    await settle();
    expect(rowRenders).toEqual([]);
    await press(listbox, 'j');
    expect(rowRenders).toEqual([names[0]]);
    rowRenders.length = 0;
    await press(listbox, 'j');
    expect(rowRenders.sort()).toEqual([names[0], names[1]].sort());
    // A rollback check that arrives re-renders its row alone, which now shows it.
    rowRenders.length = 0;
    store.setState({ rollbackChecks: { ...store.getState().rollbackChecks, [names[2]]: { migration: names[2], name: names[2], result: 'ok', message: 'rollback verified', differences: [], checksum: 'x', durationMs: 5, verifiedAt: '2025-01-01T00:00:00.000Z' } } });
    await settle();
    expect(rowRenders).toEqual([names[2]]);
  });
});
