/** A schema change (detail tab, History row): Added / Changed / Removed objects, each changed one with a line diff. */
import type { Locator } from '@playwright/test';

export class SchemaChangeView {
  /** `scope`: the element holding the view (the detail pane, an expanded History row). */
  constructor(readonly scope: Locator) {}

  /** The objects, in order (one Tab stop; ↑/↓ move between them). */
  get objects(): Locator {
    return this.scope.locator('.diff-object');
  }

  /** The group of objects changed ("Changed: 2"). */
  group(change: 'Added' | 'Changed' | 'Removed'): Locator {
    return this.scope.getByRole('region', { name: new RegExp(`^${change}: \\d+$`) });
  }

  /** The line diff of one changed object (e.g. "public.alpha.name"). */
  lineDiff(object: string): Locator {
    return this.scope.getByRole('region', { name: `${object}, before and after` });
  }

  /** Highlighted lines of a line diff, unified or split. */
  removedLines(diff: Locator): Locator {
    return diff.locator('.diff-line-removed');
  }

  addedLines(diff: Locator): Locator {
    return diff.locator('.diff-line-added');
  }

  async setLayout(layout: 'Unified' | 'Split'): Promise<void> {
    await this.scope.getByRole('radiogroup', { name: 'Diff layout' }).getByRole('radio', { name: layout }).click();
  }

  get ignoreWhitespace(): Locator {
    return this.scope.getByRole('checkbox', { name: 'Ignore whitespace' });
  }
}
