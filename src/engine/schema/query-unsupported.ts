/** One catalog query naming objects the snapshot does not capture, so a user knows they exist. */
import { queryRows, type Queryable } from './catalog-session';
import { notExtensionMember, schemaFilter } from './catalog-filter';

/**
 * Policies, rules, statistics objects, collations, operators, text search objects, conversions,
 * grants on types, default privileges, casts, publications, foreign servers and event triggers, in plain words.
 */
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
     select 'text search configuration ' || n.nspname || '.' || ts.cfgname
       from pg_catalog.pg_ts_config ts join pg_catalog.pg_namespace n on n.oid = ts.cfgnamespace
       where ${filter.sql} and ${notExtensionMember('pg_catalog.pg_ts_config', 'ts.oid')}
     union all
     select 'text search dictionary ' || n.nspname || '.' || td.dictname
       from pg_catalog.pg_ts_dict td join pg_catalog.pg_namespace n on n.oid = td.dictnamespace
       where ${filter.sql} and ${notExtensionMember('pg_catalog.pg_ts_dict', 'td.oid')}
     union all
     select 'conversion ' || n.nspname || '.' || cv.conname
       from pg_catalog.pg_conversion cv join pg_catalog.pg_namespace n on n.oid = cv.connamespace
       where ${filter.sql} and ${notExtensionMember('pg_catalog.pg_conversion', 'cv.oid')}
     union all
     select 'grants on type ' || n.nspname || '.' || t.typname
       from pg_catalog.pg_type t join pg_catalog.pg_namespace n on n.oid = t.typnamespace
       where t.typacl is not null and ${filter.sql} and ${notExtensionMember('pg_catalog.pg_type', 't.oid')}
     union all
     select 'default privileges' || coalesce(' in schema ' || n.nspname, '') || ' for role ' || pg_catalog.pg_get_userbyid(da.defaclrole)
       from pg_catalog.pg_default_acl da left join pg_catalog.pg_namespace n on n.oid = da.defaclnamespace
     union all
     select 'cast (' || pg_catalog.format_type(ca.castsource, null) || ' as ' || pg_catalog.format_type(ca.casttarget, null) || ')'
       from pg_catalog.pg_cast ca where ca.oid >= 16384
         -- Casts a type makes for itself (a range's multirange casts) are internal dependents of it.
         and not exists (select 1 from pg_catalog.pg_depend d where d.classid = 'pg_catalog.pg_cast'::regclass
                         and d.objid = ca.oid and d.deptype in ('e', 'i'))
     union all
     select 'publication ' || pub.pubname from pg_catalog.pg_publication pub
     union all
     select 'foreign server ' || fs.srvname from pg_catalog.pg_foreign_server fs
       where ${notExtensionMember('pg_catalog.pg_foreign_server', 'fs.oid')}
     union all
     select 'foreign-data wrapper ' || fdw.fdwname from pg_catalog.pg_foreign_data_wrapper fdw
       where ${notExtensionMember('pg_catalog.pg_foreign_data_wrapper', 'fdw.oid')}
     union all
     select 'event trigger ' || et.evtname
       from pg_catalog.pg_event_trigger et
       where ${notExtensionMember('pg_catalog.pg_event_trigger', 'et.oid')}`,
    Array.from({ length: 9 }, () => filter.bindings).flat(),
  );
  return rows.map((r) => r.description);
}
