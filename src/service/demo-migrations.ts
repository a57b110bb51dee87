/**
 * The demo's migrations live in the data folder, copied from the sample set on first use, so
 * "New migration…" on the demo writes there and never into the app's files or the checkout.
 */
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';

/** The demo's migrations folder inside `dataDir`, created from `sampleDir` when missing. */
export function ensureDemoMigrations(sampleDir: string, dataDir: string): string {
  const target = join(dataDir, 'demo-migrations');
  if (!existsSync(target) && existsSync(sampleDir)) {
    cpSync(sampleDir, target, { recursive: true, filter: (source) => !source.endsWith('.map') });
  }
  return target;
}
