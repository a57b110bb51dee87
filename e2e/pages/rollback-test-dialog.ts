/** "Test rollbacks…": the stairway dialog and its per-migration results. */
import { expect, type Locator, type Page } from '@playwright/test';

export class RollbackTestDialog {
  constructor(readonly page: Page) {}

  get dialog(): Locator {
    return this.page.getByRole('dialog', { name: 'Test rollbacks' });
  }

  /** Open it from the timeline's toolbar and start the test. */
  async run(): Promise<void> {
    await this.page.getByRole('toolbar', { name: 'Timeline checks' }).getByRole('button', { name: 'Test rollbacks…' }).click();
    await expect(this.dialog).toBeVisible();
    await this.dialog.getByRole('button', { name: 'Test rollbacks', exact: true }).click();
    await expect(this.results).toBeVisible({ timeout: 60_000 });
  }

  get results(): Locator {
    return this.dialog.getByLabel('Rollback results');
  }

  /** The result line of one migration. */
  result(migration: string): Locator {
    return this.results.getByRole('listitem').filter({ hasText: migration });
  }

  async close(): Promise<void> {
    await this.dialog.getByRole('button', { name: 'Close', exact: true }).click();
    await expect(this.dialog).toHaveCount(0);
  }
}
