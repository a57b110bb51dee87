/** "New migration from changes…" (and "Turn into a migration"): source, name, rename pairing, review, write. */
import { expect, type Locator, type Page } from '@playwright/test';
import { ReviewPanes } from './review-panes';

export class GenerateDialog {
  readonly review: ReviewPanes;

  constructor(readonly page: Page) {
    this.review = new ReviewPanes(this.dialog);
  }

  get dialog(): Locator {
    return this.page.getByRole('dialog', { name: 'New migration from changes' });
  }

  /** Open it from the timeline's toolbar. */
  async openFromToolbar(): Promise<void> {
    await this.page.getByRole('toolbar', { name: 'Timeline checks' }).getByRole('button', { name: 'New migration from changes…' }).click();
    await expect(this.dialog).toBeVisible();
  }

  async fromReference(name: string, url: string): Promise<void> {
    await this.dialog.getByLabel('Migration name').fill(name);
    await this.dialog.getByRole('radio', { name: 'A reference database' }).check();
    await this.dialog.getByLabel('Reference database URL').fill(url);
  }

  /** Generate (or generate again) and wait for the review. */
  async generate(): Promise<void> {
    await this.dialog.getByRole('button', { name: /^Generate (and verify|again)$/ }).click();
    await expect(this.dialog.getByRole('status').filter({ hasText: 'Building the migrations' })).toHaveCount(0, { timeout: 60_000 });
  }

  /** The rename pairing control: "Possible renames … tick to rename instead". */
  get renames(): Locator {
    return this.dialog.getByRole('group', { name: /Possible renames/ });
  }

  /** Tick (or untick) a pair, which generates the migration again. */
  async toggleRename(label: string | RegExp): Promise<void> {
    await this.renames.getByRole('checkbox', { name: label }).click();
    await expect(this.dialog.getByRole('status').filter({ hasText: 'Building the migrations' })).toHaveCount(0, { timeout: 60_000 });
  }

  get dataLoss(): Locator {
    return this.dialog.getByRole('alert').filter({ hasText: 'Data loss' });
  }

  get writeButton(): Locator {
    return this.dialog.getByRole('button', { name: 'Write file' });
  }

  async write(): Promise<void> {
    await this.writeButton.click();
    await expect(this.written).toBeVisible({ timeout: 30_000 });
  }

  get written(): Locator {
    return this.dialog.getByRole('status').filter({ hasText: /^Wrote / });
  }

  async close(): Promise<void> {
    await this.dialog.getByRole('button', { name: /^(Done|Cancel)$/ }).click();
    await expect(this.dialog).toHaveCount(0);
  }
}
