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

  /** The run ended cancelled (amber banner); returns the banner. */
  async expectCancelled(): Promise<Locator> {
    await expect(this.page.getByRole('dialog', { name: /: cancelled$/ })).toBeVisible({ timeout: 30_000 });
    return this.dialog.getByRole('alert').first();
  }

  /** The steps of the run, one list item per migration. */
  get steps(): Locator {
    return this.dialog.getByRole('list', { name: 'Steps' }).getByRole('listitem');
  }

  /** The run's log lines. */
  get log(): Locator {
    return this.dialog.getByRole('list', { name: 'Log' }).getByRole('listitem');
  }

  get cancelButton(): Locator {
    return this.page.getByRole('button', { name: /^(Cancel|Cancelling…)$/ }).and(this.page.locator('[aria-describedby^="cancel-effect-"]'));
  }

  /** What Cancel will do, said beside it before it is pressed. */
  get cancelEffect(): Locator {
    return this.page.locator('.cancel-effect');
  }

  /** The progress bar ("n of N") of the running plan. */
  get progress(): Locator {
    return this.page.getByRole('progressbar', { name: 'Migrations done' });
  }

  /** Dock the running plan into the small panel, and the panel itself. */
  async dock(): Promise<void> {
    await this.dialog.getByRole('button', { name: 'Dock', exact: true }).click();
    await expect(this.docked).toBeVisible();
  }

  get docked(): Locator {
    return this.page.getByRole('complementary', { name: 'Run progress' });
  }

  async close(): Promise<void> {
    await this.dialog.getByRole('button', { name: 'Close', exact: true }).click();
    await expect(this.dialog).toBeHidden();
  }
}
