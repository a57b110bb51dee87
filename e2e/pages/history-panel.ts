/** The History view: the audit log as a table, one row per operation. */
import type { Locator, Page } from '@playwright/test';

export class HistoryPanel {
  constructor(readonly page: Page) {}

  get region(): Locator {
    return this.page.getByRole('region', { name: 'History', exact: true });
  }

  /** Table rows that describe an operation (header row excluded). */
  get entries(): Locator {
    return this.region.getByRole('row').filter({ has: this.page.getByRole('cell') });
  }

  /** The rows of operations of this kind and outcome, e.g. ('upgrade', 'succeeded'). */
  entry(operation: string, outcome: string): Locator {
    const cell = (name: string) => this.page.getByRole('cell', { name, exact: true });
    return this.entries.filter({ has: cell(operation) }).filter({ has: cell(outcome) });
  }
}
