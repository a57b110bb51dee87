/** Whether a database looks adoptable: tables that no migration created (no migration applied yet). */
import type { AdoptionState } from '../../shared/adopt';
import type { Db } from '../database/open-database';
import { ledgerTableExclusions } from '../ledger/ledger-tables';
import { readLedger } from '../ledger/read-ledger';
import { notExtensionMember, SYSTEM_SCHEMA_FILTER } from '../schema/catalog-filter';
import { queryRows } from '../schema/catalog-session';

/** User tables (Knex's and Stepstone's left out) and applied migrations, in two cheap reads. */
export async function readAdoptionState(db: Db): Promise<AdoptionState> {
  const ledger = await readLedger(db.knex, db.names);
  const excluded = ledgerTableExclusions(db.names);
  const [{ tables }] = await queryRows<{ tables: number }>(
    db.knex,
    `select count(*)::int as tables from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
     where c.relkind in ('r', 'p') and not c.relispartition and ${SYSTEM_SCHEMA_FILTER}
       and ${notExtensionMember('pg_catalog.pg_class', 'c.oid')}
       and c.relname <> all(?::text[]) and (n.nspname || '.' || c.relname) <> all(?::text[])`,
    [excluded.filter((e) => !e.includes('.')), excluded.filter((e) => e.includes('.'))],
  );
  const applied = ledger.rows.length;
  return { tables, applied, adoptable: applied === 0 && tables > 0 };
}
