/** Catalog query for user triggers (internal ones, e.g. for foreign keys, and partition clones excluded). */
import type { Trigger } from '../../shared/schema';
import { queryRows, type Queryable } from './catalog-session';
import { notExtensionMember, schemaFilter } from './catalog-filter';

export interface TriggerRow extends Trigger {
  enabled: boolean;
}

/** Triggers on tables and views in the selected schemas. */
export async function queryTriggers(db: Queryable, schemas?: readonly string[]): Promise<TriggerRow[]> {
  const filter = schemaFilter(schemas);
  return queryRows<TriggerRow>(
    db,
    `select n.nspname as schema, c.relname as table, t.tgname as name,
       pg_catalog.pg_get_triggerdef(t.oid) as definition, t.tgenabled <> 'D' as enabled, dsc.description as comment
     from pg_catalog.pg_trigger t
     join pg_catalog.pg_class c on c.oid = t.tgrelid
     join pg_catalog.pg_namespace n on n.oid = c.relnamespace
     left join pg_catalog.pg_description dsc on dsc.classoid = 'pg_catalog.pg_trigger'::regclass and dsc.objoid = t.oid and dsc.objsubid = 0
     where not t.tgisinternal and t.tgparentid = 0 and ${filter.sql}
       and ${notExtensionMember('pg_catalog.pg_class', 'c.oid')}`,
    filter.bindings,
  );
}
