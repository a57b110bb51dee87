/** The detail pane's Checks tab: a migration's lint findings (with suppression reasons) and its rollback check. */
import { expect, type Locator, type Page } from '@playwright/test';

export class ChecksTab {
  constructor(readonly page: Page) {}

  get detail(): Locator {
    return this.page.getByRole('complementary', { name: 'Migration detail' });
  }

  async open(): Promise<void> {
    const tab = this.detail.getByRole('tab', { name: 'Checks', exact: true });
    await tab.click();
    await expect(tab).toHaveAttribute('aria-selected', 'true');
  }

  /** The findings list, once the lint has run. */
  get findings(): Locator {
    return this.detail.getByRole('list', { name: 'Findings' });
  }

  /** One finding by severity ("error", "warning", "suppressed error"…) and rule id. */
  finding(severity: string, rule: string): Locator {
    return this.findings.getByRole('listitem', { name: `${severity} ${rule}`, exact: true });
  }

  get rollback(): Locator {
    return this.detail.getByRole('region', { name: 'Rollback' });
  }
}
