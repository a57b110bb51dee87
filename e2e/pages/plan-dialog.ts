/** The plan confirmation: the steps, the typed database name on production, and the primary action. */
import { expect, type Locator, type Page } from '@playwright/test';

export class PlanDialog {
  constructor(readonly page: Page) {}

  get dialog(): Locator {
    return this.page.getByRole('dialog', { name: /^(Upgrade|Roll back) / });
  }

  /** The primary button, e.g. "Upgrade 14 migrations" or "Roll back 3 migrations". */
  action(label?: string): Locator {
    return this.dialog.getByRole('button', label ? { name: label, exact: true } : { name: /^(Upgrade|Roll back) \d+ migrations?$/ });
  }

  /** The "Type <database> to confirm" box of production plans. */
  confirmation(database: string): Locator {
    return this.dialog.getByRole('textbox', { name: `Type ${database} to confirm` });
  }

  /** The plan's numbered steps (a backup step first when the profile backs up). */
  steps(): Locator {
    return this.dialog.getByRole('list', { name: /steps/i });
  }

  /** Only the migration steps (not "Backup before migrating"), in order. */
  migrationSteps(): Locator {
    return this.steps().getByRole('listitem').filter({ hasNotText: /^\s*0\.|Backup before migrating/ });
  }

  /** The blocking findings (errors) of the plan: a failing dry run, lint errors… */
  get blocking(): Locator {
    return this.dialog.getByRole('list', { name: 'Blocking findings' });
  }

  /** The warnings (drift, out of order, not transactional…), all under one tick. */
  get warnings(): Locator {
    return this.dialog.getByRole('list', { name: 'Warnings' });
  }

  /** Tick one blocking finding's own acknowledgement, e.g. /Continue anyway/. */
  async acknowledge(label: RegExp): Promise<void> {
    await this.dialog.getByRole('checkbox', { name: label }).check();
  }

  /** Tick the one box under the warnings ("I have read these warnings"). */
  async tickWarnings(): Promise<void> {
    await this.dialog.getByRole('checkbox', { name: /^I have read th(is|ese)( \d+)? warnings?$/ }).check();
  }

  /** Run without waiting for the dry run (non-production only). */
  async skipDryRun(): Promise<void> {
    await this.dialog.getByRole('checkbox', { name: 'Run without waiting for the dry run' }).check();
  }

  /**
   * Confirm without waiting for the dry run when it is still going (non-production), for specs that only
   * need to reach a state; the dry run's own behaviour is specified in plan-dry-run.spec.ts.
   */
  async confirmWithoutWaiting(label: string): Promise<void> {
    await expect(this.dialog).toBeVisible();
    const skip = this.dialog.getByRole('checkbox', { name: 'Run without waiting for the dry run' });
    if (await skip.isVisible()) await skip.check({ timeout: 2_000 }).catch(() => undefined); // the dry run may end meanwhile
    await this.confirm(label);
  }

  /** Wait until the automatic dry run has finished (its progress finding is gone). */
  async waitForDryRun(): Promise<void> {
    // First the plan (its steps), so this does not pass while the plan itself is still loading.
    await expect(this.steps()).toBeVisible({ timeout: 30_000 });
    await expect(this.dialog.getByText('Checking the plan with a dry run…')).toHaveCount(0, { timeout: 45_000 });
  }

  /**
   * After the dry run: the expected lint warnings are shown (each as "<rule> on <table>"), none of
   * them is drift, then the one tick and the primary button `label`.
   */
  async confirmAfterLintWarnings(label: string, lint: string[]): Promise<void> {
    await this.waitForDryRun();
    for (const warning of lint) await expect(this.warnings).toContainText(warning);
    await expect(this.warnings).not.toContainText('Schema drift');
    await this.tickWarnings();
    await this.confirm(label);
  }

  /** Wait for the plan, then click its primary button (which must be named `label`). */
  async confirm(label: string): Promise<void> {
    await expect(this.dialog).toBeVisible();
    const button = this.action(label);
    // Enabled once the automatic dry run is done (a scratch copy for non-transactional steps takes a while).
    await expect(button).toBeEnabled({ timeout: 45_000 });
    await button.click();
  }
}
