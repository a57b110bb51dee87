/** Catalog query for functions, procedures, aggregates and window functions. */
import type { FunctionDef } from '../../shared/schema';
import { queryRows, type Queryable } from './catalog-session';
import { notExtensionMember, schemaFilter } from './catalog-filter';

export interface RoutineRow extends FunctionDef {
  hasGrants: boolean;
}

interface RawRoutineRow extends Omit<FunctionDef, 'kind'> {
  kind: string;
  hasGrants: boolean;
}

const KINDS: Record<string, FunctionDef['kind']> = { f: 'function', p: 'procedure', a: 'aggregate', w: 'window' };

/** Routines in the selected schemas; pg_get_functiondef() is not defined for aggregates. */
export async function queryRoutines(db: Queryable, schemas?: readonly string[]): Promise<RoutineRow[]> {
  const filter = schemaFilter(schemas);
  const rows = await queryRows<RawRoutineRow>(
    db,
    `select n.nspname as schema, p.proname as name,
       pg_catalog.pg_get_function_identity_arguments(p.oid) as arguments,
       coalesce(pg_catalog.pg_get_function_result(p.oid), '') as returns,
       l.lanname as language, p.prokind::text as kind,
       pg_catalog.obj_description(p.oid, 'pg_proc') as comment,
       case when p.prokind <> 'a' then pg_catalog.pg_get_functiondef(p.oid) end as definition,
       p.proacl is not null as "hasGrants"
     from pg_catalog.pg_proc p
     join pg_catalog.pg_namespace n on n.oid = p.pronamespace
     join pg_catalog.pg_language l on l.oid = p.prolang
     where ${filter.sql}
       and ${notExtensionMember('pg_catalog.pg_proc', 'p.oid')}
       -- A range type's constructor functions belong to the type (an internal dependency).
       and not exists (select 1 from pg_catalog.pg_depend d where d.classid = 'pg_catalog.pg_proc'::regclass
                       and d.objid = p.oid and d.deptype = 'i')`,
    filter.bindings,
  );
  return rows.map((r) => ({ ...r, kind: KINDS[r.kind] ?? 'function' }));
}
