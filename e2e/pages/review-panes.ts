/** A generated migration's review: the file, the schema change and the verification, side by side. */
import type { Locator } from '@playwright/test';

export class ReviewPanes {
  constructor(readonly root: Locator) {}

  get file(): Locator {
    return this.root.getByRole('region', { name: 'Migration file' });
  }

  get schemaChange(): Locator {
    return this.root.getByRole('region', { name: 'Schema change' });
  }

  get verification(): Locator {
    return this.root.getByRole('region', { name: 'Verification' });
  }

  /** One direction's line in the verification ("up", "down", "up again"). */
  direction(label: 'up' | 'down' | 'up again'): Locator {
    return this.verification.getByRole('listitem').filter({ has: this.root.page().locator('.verification-direction', { hasText: new RegExp(`^${label}$`) }) });
  }
}
