/** The two schemas every adoption compares: the live user schema, and the migrations' schema built on a shadow. */
import type { MigrationSettings } from '../../shared/profile';
import type { SchemaSnapshot } from '../../shared/schema';
import { ledgerNames, ledgerTableExclusions } from '../ledger/ledger-tables';
import type { LoadedMigration } from '../migrations/load-migration';
import { introspectSchema } from '../schema';
import { applyMigrations } from '../shadow/apply-migrations';
import type { ShadowDatabase } from '../shadow/shadow-database';

/** Knex's and Stepstone's tables, which are nobody's schema (also in a reference database). */
export function ledgerExclusions(settings: MigrationSettings): string[] {
  return ledgerTableExclusions(ledgerNames(settings));
}

/** Applies `migrations` on the (empty) shadow and reads the schema they give. */
export async function buildMigrationsSchema(
  shadow: ShadowDatabase,
  migrations: readonly LoadedMigration[],
  settings: MigrationSettings,
  onProgress?: (message: string) => void,
): Promise<SchemaSnapshot> {
  if (migrations.length) onProgress?.(`Applying ${migrations.length} migration${migrations.length === 1 ? '' : 's'} on ${shadow.description}`);
  await applyMigrations(shadow.knex, migrations, 'up');
  return introspectSchema(shadow.knex, { excludeTables: ledgerExclusions(settings) });
}

/** True when a snapshot holds nothing a migration could create (an empty database). */
export function isEmptySchema(s: SchemaSnapshot): boolean {
  return (
    s.tables.length === 0 &&
    s.views.length === 0 &&
    s.functions.length === 0 &&
    s.enums.length === 0 &&
    s.sequences.length === 0 &&
    s.extensions.length === 0 &&
    (s.domains ?? []).length === 0 &&
    (s.composites ?? []).length === 0 &&
    (s.ranges ?? []).length === 0 &&
    s.schemas.every((name) => name === 'public')
  );
}
