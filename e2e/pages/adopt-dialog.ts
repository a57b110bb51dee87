/** "Adopt it…": the banner over the timeline and the baseline dialog (file, schema change, verification, then write and stamp). */
import { expect, type Locator, type Page } from '@playwright/test';
import { ReviewPanes } from './review-panes';

export class AdoptDialog {
  readonly review: ReviewPanes;

  constructor(readonly page: Page) {
    this.review = new ReviewPanes(this.dialog);
  }

  /** "This database has N tables that no migration created — Adopt it…". */
  get banner(): Locator {
    return this.page.getByRole('region', { name: 'Adopt this database' });
  }

  get dialog(): Locator {
    return this.page.getByRole('dialog', { name: /^Adopt / });
  }

  /** From the banner: open the dialog, generate and verify (optionally under another name). */
  async openAndVerify(name?: string): Promise<void> {
    await this.banner.getByRole('button', { name: 'Adopt it…' }).click();
    await expect(this.dialog).toBeVisible();
    if (name !== undefined) await this.dialog.getByLabel('Baseline name').fill(name);
    await this.dialog.getByRole('button', { name: 'Generate and verify' }).click();
    await expect(this.review.verification).toBeVisible({ timeout: 60_000 });
  }

  get writeButton(): Locator {
    return this.dialog.getByRole('button', { name: 'Write and mark as applied' });
  }

  /** Write the file and stamp it; waits for the confirmation line. */
  async writeAndStamp(): Promise<void> {
    await this.writeButton.click();
    await expect(this.done).toBeVisible({ timeout: 60_000 });
  }

  get done(): Locator {
    return this.dialog.getByRole('status').filter({ hasText: /^Wrote / });
  }

  async close(): Promise<void> {
    await this.dialog.getByRole('button', { name: /^(Done|Cancel)$/ }).click();
    await expect(this.dialog).toHaveCount(0);
  }
}
