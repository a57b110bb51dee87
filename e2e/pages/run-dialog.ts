/** The run dialog: progress while a plan runs, then the outcome banner and Close. */
import { expect, type Locator, type Page } from '@playwright/test';

export class RunDialog {
  constructor(readonly page: Page) {}

  get dialog(): Locator {
    return this.page.getByRole('dialog', { name: /(: done|: failed|: cancelled|^Upgrading|^Rolling back)/ });
  }

  /** The run ended in success ("…: done" with a "Done in" status). */
  async expectDone(): Promise<void> {
    await expect(this.page.getByRole('dialog', { name: /: done$/ })).toBeVisible({ timeout: 30_000 });
    await expect(this.dialog.getByRole('status')).toContainText('Done in');
  }

  /** The run ended in failure; returns the alert banner. */
  async expectFailed(): Promise<Locator> {
    await expect(this.page.getByRole('dialog', { name: /: failed$/ })).toBeVisible({ timeout: 30_000 });
    const alert = this.dialog.getByRole('alert').first();
    await expect(alert).toBeVisible();
    return alert;
  }

  async close(): Promise<void> {
    await this.dialog.getByRole('button', { name: 'Close', exact: true }).click();
    await expect(this.dialog).toBeHidden();
  }
}
