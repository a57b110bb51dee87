/**
 * A schema's fingerprint in one round trip: an md5, computed by the server, over the definitions of
 * every user schema object (tables, columns, constraints, indexes, views, sequences, types, functions,
 * triggers, extensions, comments). Two states with equal fingerprints have the same schema; the
 * stairway compares fingerprints at each step and introspects in full only to explain a difference.
 */
import type { Knex } from 'knex';

const USER = `n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp\\_%'`;
const NOT_EXTENSION = (catalog: string, oid: string) =>
  `not exists (select 1 from pg_catalog.pg_depend d where d.classid = '${catalog}'::regclass and d.objid = ${oid} and d.deptype = 'e')`;

const FINGERPRINT_SQL = `
select md5(coalesce(string_agg(line, E'\\n' order by line), '')) as fingerprint from (
  select 'schema ' || n.nspname as line from pg_catalog.pg_namespace n where ${USER} and n.nspname <> 'public'
  union all
  select 'extension ' || e.extname || ' ' || e.extversion from pg_catalog.pg_extension e where e.extname <> 'plpgsql'
  union all
  select 'relation ' || n.nspname || '.' || c.relname || ' ' || c.relkind::text || ' ' || c.relpersistence::text || ' ' || coalesce(array_to_string(c.reloptions, ','), '')
         || ' ' || coalesce(pg_catalog.obj_description(c.oid, 'pg_class'), '')
         || case when c.relkind in ('v', 'm') then ' ' || pg_catalog.pg_get_viewdef(c.oid) else '' end
    from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
   where ${USER} and c.relkind in ('r', 'p', 'v', 'm', 'f', 'S') and ${NOT_EXTENSION('pg_class', 'c.oid')}
  union all
  select 'column ' || n.nspname || '.' || c.relname || '.' || a.attname || ' ' || pg_catalog.format_type(a.atttypid, a.atttypmod)
         || ' ' || a.attnotnull || ' ' || a.attidentity::text || ' ' || a.attgenerated::text || ' ' || coalesce(pg_catalog.pg_get_expr(ad.adbin, ad.adrelid), '')
         || ' ' || coalesce(co.collname, '') || ' ' || coalesce(pg_catalog.col_description(c.oid, a.attnum), '')
    from pg_catalog.pg_attribute a
    join pg_catalog.pg_class c on c.oid = a.attrelid
    join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    left join pg_catalog.pg_attrdef ad on ad.adrelid = a.attrelid and ad.adnum = a.attnum
    left join pg_catalog.pg_collation co on co.oid = a.attcollation and a.attcollation <> 100
   where ${USER} and a.attnum > 0 and not a.attisdropped and c.relkind in ('r', 'p', 'v', 'm', 'f') and ${NOT_EXTENSION('pg_class', 'c.oid')}
  union all
  select 'constraint ' || n.nspname || '.' || coalesce(c.relname, t.typname) || '.' || con.conname || ' ' || pg_catalog.pg_get_constraintdef(con.oid)
    from pg_catalog.pg_constraint con
    join pg_catalog.pg_namespace n on n.oid = con.connamespace
    left join pg_catalog.pg_class c on c.oid = con.conrelid
    left join pg_catalog.pg_type t on t.oid = con.contypid
   where ${USER} and ${NOT_EXTENSION('pg_constraint', 'con.oid')}
  union all
  select 'index ' || pg_catalog.pg_get_indexdef(i.indexrelid)
    from pg_catalog.pg_index i join pg_catalog.pg_class c on c.oid = i.indexrelid join pg_catalog.pg_namespace n on n.oid = c.relnamespace
   where ${USER} and ${NOT_EXTENSION('pg_class', 'c.oid')}
  union all
  select 'sequence ' || n.nspname || '.' || c.relname || ' ' || s.seqtypid::regtype || ' ' || s.seqstart || ' ' || s.seqincrement || ' ' || s.seqmin || ' ' || s.seqmax || ' ' || s.seqcycle
    from pg_catalog.pg_sequence s join pg_catalog.pg_class c on c.oid = s.seqrelid join pg_catalog.pg_namespace n on n.oid = c.relnamespace
   where ${USER} and ${NOT_EXTENSION('pg_class', 'c.oid')}
  union all
  select 'type ' || n.nspname || '.' || t.typname || ' ' || t.typtype::text || ' ' || coalesce((select string_agg(e.enumlabel, ',' order by e.enumsortorder) from pg_catalog.pg_enum e where e.enumtypid = t.oid), '')
         || ' ' || coalesce(pg_catalog.format_type(t.typbasetype, t.typtypmod), '')
    from pg_catalog.pg_type t join pg_catalog.pg_namespace n on n.oid = t.typnamespace
   where ${USER} and t.typtype in ('e', 'd', 'r') and ${NOT_EXTENSION('pg_type', 't.oid')}
  union all
  select 'function ' || n.nspname || '.' || p.proname || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ') ' || p.prokind::text
         || ' ' || pg_catalog.pg_get_function_result(p.oid) || ' ' || md5(coalesce(p.prosrc, ''))
    from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
   where ${USER} and ${NOT_EXTENSION('pg_proc', 'p.oid')}
  union all
  select 'trigger ' || pg_catalog.pg_get_triggerdef(tg.oid)
    from pg_catalog.pg_trigger tg join pg_catalog.pg_class c on c.oid = tg.tgrelid join pg_catalog.pg_namespace n on n.oid = c.relnamespace
   where ${USER} and not tg.tgisinternal
) lines`;

interface PgClient {
  query(config: { name: string; text: string }): Promise<{ rows: { fingerprint: string }[] }>;
}

/** The fingerprint of the user schema the connection sees. */
export async function schemaFingerprint(knex: Knex): Promise<string> {
  const client = knex.client as { config?: { client?: unknown }; acquireConnection(): Promise<unknown>; releaseConnection(c: unknown): Promise<unknown> };
  if (client.config?.client !== 'pg') {
    const { rows } = await knex.raw(FINGERPRINT_SQL);
    return String(rows[0].fingerprint);
  }
  // A named statement is planned once per connection: planning this union is most of its cost.
  const connection = (await client.acquireConnection()) as PgClient;
  try {
    const { rows } = await connection.query({ name: 'stepstone_schema_fingerprint', text: FINGERPRINT_SQL });
    return String(rows[0].fingerprint);
  } finally {
    await client.releaseConnection(connection);
  }
}
