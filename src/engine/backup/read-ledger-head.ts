/** The migration head a backup records: the newest row of the profile's Knex ledger (its table and schema). */
import type pg from 'pg';
import type { MigrationSettings } from '../../shared/profile';
import { ledgerNames, qualified } from '../ledger/ledger-tables';
import { headOf } from '../migrations/list-migration-files';

/**
 * The head of the ledger `settings` name (e.g. ops.app_migrations), or null when it is
 * empty or absent. Copy sessions run with an empty search_path, so a ledger without a schema is public's.
 */
export async function readLedgerHead(client: pg.Client, settings: Pick<MigrationSettings, 'tableName' | 'schemaName'> | undefined): Promise<string | null> {
  // Targets built by hand may carry no migration settings: Knex's default ledger then.
  const names = ledgerNames({ directories: [], tableName: 'knex_migrations', ...settings });
  const table = qualified({ ...names, schema: names.schema ?? 'public' }, names.migrations);
  const { rows } = await client
    .query<{ name: string }>(`select name from ${table}`)
    .catch(() => ({ rows: [] as { name: string }[] })); // no ledger yet: no head
  // The same head status shows: last in Knex's order, not the last row written (they differ after out-of-order merges).
  return headOf(rows.map((r) => r.name));
}
