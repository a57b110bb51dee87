/** SQL fragments shared by the catalog queries: which schemas count and what extensions own. */

/** Schemas PostgreSQL keeps for itself. */
export const SYSTEM_SCHEMA_FILTER = `n.nspname not in ('pg_catalog', 'information_schema')
  and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp\\_%'`;

/** Limits a query aliasing pg_namespace as `n`: user schemas, optionally only those named. */
export function schemaFilter(schemas: readonly string[] | undefined): { sql: string; bindings: unknown[] } {
  if (!schemas) return { sql: SYSTEM_SCHEMA_FILTER, bindings: [] };
  return {
    sql: `${SYSTEM_SCHEMA_FILTER} and n.nspname in (select jsonb_array_elements_text(?::jsonb))`,
    bindings: [JSON.stringify(schemas)],
  };
}

/** True for objects that belong to an extension (pg_dump leaves those to CREATE EXTENSION). */
export function notExtensionMember(catalog: string, oidColumn: string): string {
  return `not exists (select 1 from pg_catalog.pg_depend d
    where d.classid = '${catalog}'::regclass and d.objid = ${oidColumn} and d.deptype = 'e')`;
}
