/** Catalog queries for schemas and installed extensions. */
import type { Extension } from '../../shared/schema';
import { queryRows, type Queryable } from './catalog-session';
import { notExtensionMember, schemaFilter } from './catalog-filter';

export interface SchemaRow {
  name: string;
  comment: string | null;
  /** Privileges granted on a schema other than public (public's are the server's defaults). */
  hasGrants: boolean;
}

/** The selected user schemas (those created by extensions excluded) with their comments. */
export async function querySchemas(db: Queryable, schemas?: readonly string[]): Promise<SchemaRow[]> {
  const filter = schemaFilter(schemas);
  return queryRows<SchemaRow>(
    db,
    `select n.nspname as name, dsc.description as comment, n.nspacl is not null and n.nspname <> 'public' as "hasGrants"
     from pg_catalog.pg_namespace n
     left join pg_catalog.pg_description dsc on dsc.classoid = 'pg_catalog.pg_namespace'::regclass and dsc.objoid = n.oid and dsc.objsubid = 0
     where ${filter.sql} and ${notExtensionMember('pg_catalog.pg_namespace', 'n.oid')}`,
    filter.bindings,
  );
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
