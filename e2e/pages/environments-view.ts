/** The Environments view: two connections side by side (applied migrations, edited files, schema difference). */
import { expect, type Locator, type Page } from '@playwright/test';

export class EnvironmentsView {
  constructor(readonly page: Page) {}

  get view(): Locator {
    return this.page.getByRole('region', { name: 'Environments' });
  }

  /** The "Left" or "Right" connection picker. */
  picker(side: 'Left' | 'Right'): Locator {
    return this.view.getByRole('combobox', { name: side });
  }

  /** Compare the two chosen connections; wait on what the comparison shows, not on the button. */
  async compare(): Promise<void> {
    await this.view.getByRole('button', { name: 'Compare', exact: true }).click();
  }

  /** One side's summary ("staging: 3 applied", or "qa: unreachable"). */
  side(label: string): Locator {
    return this.view.getByLabel(new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
  }

  /** The row of one migration in the applied-migrations table. */
  row(name: string): Locator {
    return this.view.getByRole('table', { name: 'Applied migrations' }).getByRole('row').filter({ hasText: name });
  }

  get schemaDifference(): Locator {
    return this.view.locator('.env-schema-title').locator('xpath=following-sibling::*[1]');
  }
}
