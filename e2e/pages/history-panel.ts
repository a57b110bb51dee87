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

  /**
   * An entry's "From → to" cell: the head before and after, each a migration name (cut in the middle
   * on screen, whole in its title) or ∅ when empty.
   */
  headRange(entry: Locator): Locator {
    return entry.getByRole('cell').nth(3);
  }

  /**
   * The per-migration results of an expanded entry (e.g. 'upgrade'): one item per migration it ran —
   * not the lines of its run log, which is a list of its own below them.
   */
  migrationResults(operation: string): Locator {
    return this.region.getByRole('list', { name: new RegExp(`^Migrations of ${operation} #\\d+$`) }).getByRole('listitem');
  }
}
