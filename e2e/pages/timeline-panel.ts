/** The timeline: a listbox named "Migrations" whose options read "N of M, <file>, <state>, …". */
import { expect, type Locator, type Page } from '@playwright/test';

export type RowState = 'applied' | 'pending' | 'failed' | 'running' | string;

/** A row as its accessible name describes it. */
export interface RowInfo {
  name: string;
  state: RowState;
  batch?: number;
  head: boolean;
}

/** Parse an option's accessible name ("5 of 14, 2025…_x, applied, batch 1, head"). */
export function parseRowLabel(label: string): RowInfo {
  const parts = label.split(', ');
  const batch = parts.find((p) => p.startsWith('batch '));
  return { name: parts[1], state: parts[2], batch: batch ? Number(batch.slice(6)) : undefined, head: parts.includes('head') };
}

export class TimelinePanel {
  constructor(readonly page: Page) {}

  get list(): Locator {
    return this.page.getByRole('listbox', { name: 'Migrations' });
  }

  /** The migration rows (history events are disabled options of their own, left out here). */
  get options(): Locator {
    return this.list.getByRole('option').and(this.page.locator(':not([data-event])'));
  }

  /** The history events shown between migrations (rollbacks, failures, cancellations, restores). */
  get events(): Locator {
    return this.list.locator('[role="option"][data-event]');
  }

  /** The filter box above the timeline (`/` focuses it). */
  get filter(): Locator {
    return this.page.getByRole('searchbox', { name: 'Filter migrations' });
  }

  /** The option whose name contains this migration's file name. */
  row(migration: string): Locator {
    return this.list.getByRole('option', { name: new RegExp(`, ${escape(migration)}(\\.[a-z]+)?, `) });
  }

  /** Every rendered row, parsed from the accessible names. */
  async rows(): Promise<RowInfo[]> {
    const labels = await this.options.evaluateAll((els) => els.map((el) => el.getAttribute('aria-label') ?? ''));
    return labels.map(parseRowLabel);
  }

  /** Wait until the rows' names and states are exactly these (in timeline order). */
  async expectStates(expected: { name: string; state: RowState }[]): Promise<void> {
    await expect
      .poll(async () => (await this.rows()).map((r) => `${r.name}: ${r.state}`), { message: 'timeline rows and states' })
      .toEqual(expected.map((r) => `${r.name}: ${r.state}`));
  }

  /** Select a migration's row (click), so the detail pane shows its actions. */
  async select(migration: string): Promise<void> {
    const row = this.row(migration);
    await row.scrollIntoViewIfNeeded();
    // Near the row's start: in a narrow window the detail drawer covers the right part of the timeline.
    await row.click({ position: { x: 60, y: 8 } });
    await expect(row).toHaveAttribute('aria-selected', 'true');
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
