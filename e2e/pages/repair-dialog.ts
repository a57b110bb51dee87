/** The Repair dialog of an interrupted migration, the banner that opens it, and the Backups view's leftovers. */
import { expect, type Locator, type Page } from '@playwright/test';

export class RepairDialog {
  constructor(readonly page: Page) {}

  /** The region above the timeline listing interrupted migrations. */
  get banner(): Locator {
    return this.page.getByRole('region', { name: 'Interrupted migrations' });
  }

  dialog(migration: string): Locator {
    return this.page.getByRole('dialog', { name: `Repair ${migration}` });
  }

  /** A repair's radio by its title ("Drop the invalid index and re-run", "Mark as applied"). */
  choice(migration: string, title: string): Locator {
    return this.dialog(migration).getByRole('radio', { name: new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) });
  }

  /** Open it from the banner's "Repair…" of `migration`. */
  async open(migration: string): Promise<Locator> {
    await this.banner.getByRole('button', { name: `Repair ${migration}…` }).click();
    const dialog = this.dialog(migration);
    await expect(dialog).toBeVisible();
    return dialog;
  }

  /** Choose `title`, continue to the confirmation, and confirm with `action`; waits for the dialog to close. */
  async repair(migration: string, title: string, action: string): Promise<void> {
    const dialog = this.dialog(migration);
    await this.choice(migration, title).check();
    await dialog.getByRole('button', { name: 'Continue…' }).click();
    await expect(dialog.getByRole('group', { name: 'Confirm the repair' })).toBeVisible();
    await dialog.getByRole('button', { name: action, exact: true }).click();
    await expect(dialog).toBeHidden();
  }

  /** What the last repair or clean-up did. */
  get notice(): Locator {
    return this.page.locator('.repair-notice[role="status"]');
  }
}

export class LeftoversPanel {
  constructor(readonly page: Page) {}

  get region(): Locator {
    return this.page.getByRole('region', { name: 'Leftovers' });
  }

  database(name: string): Locator {
    return this.region.getByRole('listitem', { name: `Database ${name}`, exact: true });
  }

  partialFile(file: string): Locator {
    return this.region.getByRole('listitem', { name: `Partial file ${file}`, exact: true });
  }

  /** "Clean up" → the confirmation → its "Clean up"; waits for the confirmation to close. */
  async cleanUp(): Promise<Locator> {
    await this.region.getByRole('button', { name: 'Clean up', exact: true }).click();
    const confirm = this.page.getByRole('dialog', { name: 'Clean up leftovers?' });
    await expect(confirm).toBeVisible();
    return confirm;
  }
}
