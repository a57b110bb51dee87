/** One catalog query naming objects the snapshot does not capture, so a user knows they exist. */
import { queryRows, type Queryable } from './catalog-session';
import { notExtensionMember, schemaFilter } from './catalog-filter';

/** Policies, rules, statistics objects, collations, operators and event triggers, in plain words. */
export async function queryUnsupportedObjects(db: Queryable, schemas?: readonly string[]): Promise<string[]> {
  const filter = schemaFilter(schemas);
  const rows = await queryRows<{ description: string }>(
    db,
    `select 'policy ' || pol.polname || ' on ' || n.nspname || '.' || c.relname as description
       from pg_catalog.pg_policy pol join pg_catalog.pg_class c on c.oid = pol.polrelid
       join pg_catalog.pg_namespace n on n.oid = c.relnamespace where ${filter.sql}
     union all
     select 'rule ' || r.rulename || ' on ' || n.nspname || '.' || c.relname
       from pg_catalog.pg_rewrite r join pg_catalog.pg_class c on c.oid = r.ev_class
       join pg_catalog.pg_namespace n on n.oid = c.relnamespace
       where r.rulename <> '_RETURN' and ${filter.sql} and ${notExtensionMember('pg_catalog.pg_class', 'c.oid')}
     union all
     select 'statistics object ' || n.nspname || '.' || s.stxname
       from pg_catalog.pg_statistic_ext s join pg_catalog.pg_namespace n on n.oid = s.stxnamespace
       where ${filter.sql} and ${notExtensionMember('pg_catalog.pg_statistic_ext', 's.oid')}
     union all
     select 'collation ' || n.nspname || '.' || co.collname
       from pg_catalog.pg_collation co join pg_catalog.pg_namespace n on n.oid = co.collnamespace
       where ${filter.sql} and ${notExtensionMember('pg_catalog.pg_collation', 'co.oid')}
     union all
     select 'operator ' || n.nspname || '.' || o.oprname
       from pg_catalog.pg_operator o join pg_catalog.pg_namespace n on n.oid = o.oprnamespace
       where ${filter.sql} and ${notExtensionMember('pg_catalog.pg_operator', 'o.oid')}
     union all
     select 'event trigger ' || et.evtname
       from pg_catalog.pg_event_trigger et
       where ${notExtensionMember('pg_catalog.pg_event_trigger', 'et.oid')}`,
    [...filter.bindings, ...filter.bindings, ...filter.bindings, ...filter.bindings, ...filter.bindings],
  );
  return rows.map((r) => r.description);
}
