/**
 * What a shadow database holds besides the empty defaults, and emptying it: every user schema
 * but `public` dropped, extensions dropped, and `public` cleared object by object (so its owner,
 * privileges and comment stay as the server made them).
 */
import type { Knex } from 'knex';
import { notExtensionMember, SYSTEM_SCHEMA_FILTER } from '../schema/catalog-filter';
import { queryRows } from '../schema/catalog-session';

const RELATION_WORDS: Record<string, string> = {
  r: 'table',
  p: 'table',
  v: 'view',
  m: 'materialized view',
  f: 'foreign table',
  S: 'sequence',
};

/**
 * User objects in the database, in plain words ("table public.users"), at most `limit`: schemas
 * other than `public`, relations, routines, standalone types and extensions other than plpgsql.
 */
export async function listUserObjects(knex: Knex, limit = 20): Promise<string[]> {
  const rows = await queryRows<{ description: string }>(
    knex,
    `select description from (
       select 'schema ' || n.nspname as description from pg_catalog.pg_namespace n
         where ${SYSTEM_SCHEMA_FILTER} and n.nspname <> 'public'
           and ${notExtensionMember('pg_catalog.pg_namespace', 'n.oid')}
       union all
       select 'extension ' || e.extname from pg_catalog.pg_extension e where e.extname <> 'plpgsql'
       union all
       select (case c.relkind ${Object.entries(RELATION_WORDS).map(([k, w]) => `when '${k}' then '${w}'`).join(' ')} end)
              || ' ' || n.nspname || '.' || c.relname
         from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
         where c.relkind in ('r', 'p', 'v', 'm', 'f', 'S') and ${SYSTEM_SCHEMA_FILTER}
           and ${notExtensionMember('pg_catalog.pg_class', 'c.oid')}
       union all
       select 'routine ' || n.nspname || '.' || p.proname
         from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
         where ${SYSTEM_SCHEMA_FILTER} and ${notExtensionMember('pg_catalog.pg_proc', 'p.oid')}
       union all
       select 'type ' || n.nspname || '.' || t.typname
         from pg_catalog.pg_type t join pg_catalog.pg_namespace n on n.oid = t.typnamespace
         left join pg_catalog.pg_class c on c.oid = t.typrelid
         where (t.typtype in ('e', 'd', 'r', 'm') or (t.typtype = 'c' and c.relkind = 'c'))
           and ${SYSTEM_SCHEMA_FILTER} and ${notExtensionMember('pg_catalog.pg_type', 't.oid')}
     ) objects order by 1 limit ${Math.max(1, Math.floor(limit))}`,
  );
  return rows.map((r) => r.description);
}

/** Drops every user object (see the file comment), in one transaction. */
export async function emptyDatabase(knex: Knex): Promise<void> {
  await knex.transaction(async (trx) => {
    const statements = await queryRows<{ sql: string }>(
      trx,
      `select sql from (
         select 1 as step, format('drop schema if exists %I cascade', n.nspname) as sql from pg_catalog.pg_namespace n
           where ${SYSTEM_SCHEMA_FILTER} and n.nspname <> 'public'
             and ${notExtensionMember('pg_catalog.pg_namespace', 'n.oid')}
         union all
         select 2, format('drop extension if exists %I cascade', e.extname) from pg_catalog.pg_extension e where e.extname <> 'plpgsql'
         union all
         select 3, format('drop %s if exists %I.%I cascade',
                  case c.relkind when 'v' then 'view' when 'm' then 'materialized view' when 'f' then 'foreign table'
                                 when 'S' then 'sequence' else 'table' end, n.nspname, c.relname)
           from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
           where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm', 'f', 'S')
             and ${notExtensionMember('pg_catalog.pg_class', 'c.oid')}
             -- Identity and serial sequences go with their table.
             and not exists (select 1 from pg_catalog.pg_depend d where d.classid = 'pg_catalog.pg_class'::regclass
                             and d.objid = c.oid and d.refobjsubid > 0 and d.deptype in ('a', 'i'))
         union all
         select 4, format('drop %s if exists %I.%I cascade', case t.typtype when 'd' then 'domain' else 'type' end, n.nspname, t.typname)
           from pg_catalog.pg_type t join pg_catalog.pg_namespace n on n.oid = t.typnamespace
           left join pg_catalog.pg_class c on c.oid = t.typrelid
           where n.nspname = 'public' and (t.typtype in ('e', 'd', 'r') or (t.typtype = 'c' and c.relkind = 'c'))
             and ${notExtensionMember('pg_catalog.pg_type', 't.oid')}
         union all
         select 5, format('drop %s if exists %I.%I(%s) cascade',
                  case p.prokind when 'a' then 'aggregate' when 'p' then 'procedure' else 'function' end,
                  n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid))
           from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
           where n.nspname = 'public' and ${notExtensionMember('pg_catalog.pg_proc', 'p.oid')}
       ) s order by step`,
    );
    for (const { sql } of statements) await trx.raw(sql);
  });
}
