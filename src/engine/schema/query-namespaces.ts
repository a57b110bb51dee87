/** Catalog queries for schemas and installed extensions. */
import type { Extension } from '../../shared/schema';
import { queryRows, type Queryable } from './catalog-session';
import { notExtensionMember, schemaFilter } from './catalog-filter';

/** Names of the selected user schemas (those created by extensions excluded). */
export async function querySchemas(db: Queryable, schemas?: readonly string[]): Promise<string[]> {
  const filter = schemaFilter(schemas);
  const rows = await queryRows<{ name: string }>(
    db,
    `select n.nspname as name from pg_catalog.pg_namespace n
     where ${filter.sql} and ${notExtensionMember('pg_catalog.pg_namespace', 'n.oid')}`,
    filter.bindings,
  );
  return rows.map((r) => r.name);
}

/** Installed extensions except plpgsql (always present); with `schemas`, only those installed in them. */
export async function queryExtensions(db: Queryable, schemas?: readonly string[]): Promise<Extension[]> {
  const filter = schemaFilter(schemas);
  return queryRows<Extension>(
    db,
    `select e.extname as name, n.nspname as schema, e.extversion as version
     from pg_catalog.pg_extension e join pg_catalog.pg_namespace n on n.oid = e.extnamespace
     where e.extname <> 'plpgsql' and (${schemas ? filter.sql : 'true'})`,
    schemas ? filter.bindings : [],
  );
}
