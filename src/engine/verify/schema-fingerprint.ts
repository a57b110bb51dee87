/**
 * A schema's fingerprint: an md5 over the definitions of every user schema object (tables, columns,
 * constraints, indexes, views, sequences, types, functions, triggers, extensions, comments). Two
 * states with equal fingerprints have the same schema; the stairway compares fingerprints at each
 * step and introspects in full only to explain a difference.
 *
 * Rendering every definition (pg_get_indexdef, pg_get_constraintdef, format_type…) after each step
 * made the stairway quadratic in rendering: a migration touches a table or two, yet each step
 * rendered the whole schema three times. So definitions are hashed in parts, one per relation (a table
 * with its columns, constraints, indexes and triggers; a view; a sequence) and one for the objects of
 * no relation (schemas, extensions, types, functions, domain constraints), and a part is rendered
 * again only when one of the catalog rows its text is read from has a new version. A part's
 * signature is the versions (ctid and xmin) of those rows: the relation's own rows in every catalog,
 * those of the relations its text names (a foreign key's target, a view's tables, a default's
 * sequence: pg_depend), and every row of the no-relation part (a type or function name can appear in
 * any definition). A row version cannot come back: a new one is written by another (sub)transaction,
 * or by the same one at another place while the old one is still there. The signatures are read by
 * index range scans over objects created after initdb, which costs a fraction of rendering.
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { queryRows } from '../schema/catalog-session';

const USER = `n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp\\_%'`;
const NOT_EXTENSION = (catalog: string, oid: string) =>
  `not exists (select 1 from pg_catalog.pg_depend d where d.classid = '${catalog}'::regclass and d.objid = ${oid} and d.deptype = 'e')`;
/** Objects created after initdb (FirstNormalObjectId): all a migration can create or change. */
const FIRST_USER_OID = 16384;
/** A row's version. */
const V = (alias: string) => `${alias}.ctid::text || ${alias}.xmin::text`;
const RELATION_KINDS = `('r', 'p', 'v', 'm', 'f', 'S')`;

/**
 * The definition lines of the relations whose oids `listed(column)` accepts, each with its relation
 * (`rel`): the relation, its columns, constraints, indexes, sequence data and triggers. Comments are
 * joined, not read through obj_description/col_description (a SQL function call per row).
 */
const relationLines = (listed: (column: string) => string) => `
  select c.oid as rel, 'relation ' || n.nspname || '.' || c.relname || ' ' || c.relkind::text || ' ' || c.relpersistence::text || ' ' || coalesce(array_to_string(c.reloptions, ','), '')
         || ' ' || coalesce(ds.description, '')
         || case when c.relkind in ('v', 'm') then ' ' || pg_catalog.pg_get_viewdef(c.oid) else '' end as line
    from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    left join pg_catalog.pg_description ds on ds.objoid = c.oid and ds.classoid = 'pg_catalog.pg_class'::regclass and ds.objsubid = 0
   where ${listed('c.oid')} and ${USER} and c.relkind in ${RELATION_KINDS} and ${NOT_EXTENSION('pg_class', 'c.oid')}
  union all
  select c.oid, 'column ' || n.nspname || '.' || c.relname || '.' || a.attname || ' ' || pg_catalog.format_type(a.atttypid, a.atttypmod)
         || ' ' || a.attnotnull || ' ' || a.attidentity::text || ' ' || a.attgenerated::text || ' ' || coalesce(pg_catalog.pg_get_expr(ad.adbin, ad.adrelid), '')
         || ' ' || coalesce(co.collname, '') || ' ' || coalesce(ds.description, '')
    from pg_catalog.pg_attribute a
    join pg_catalog.pg_class c on c.oid = a.attrelid
    join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    left join pg_catalog.pg_attrdef ad on ad.adrelid = a.attrelid and ad.adnum = a.attnum
    left join pg_catalog.pg_collation co on co.oid = a.attcollation and a.attcollation <> 100
    left join pg_catalog.pg_description ds on ds.objoid = a.attrelid and ds.classoid = 'pg_catalog.pg_class'::regclass and ds.objsubid = a.attnum
   where ${listed('a.attrelid')} and ${USER} and a.attnum > 0 and not a.attisdropped and c.relkind in ('r', 'p', 'v', 'm', 'f') and ${NOT_EXTENSION('pg_class', 'c.oid')}
  union all
  select c.oid, 'constraint ' || n.nspname || '.' || c.relname || '.' || con.conname || ' ' || pg_catalog.pg_get_constraintdef(con.oid)
    from pg_catalog.pg_constraint con
    join pg_catalog.pg_namespace n on n.oid = con.connamespace
    join pg_catalog.pg_class c on c.oid = con.conrelid
   where ${listed('con.conrelid')} and ${USER} and ${NOT_EXTENSION('pg_constraint', 'con.oid')}
  union all
  select i.indrelid, 'index ' || pg_catalog.pg_get_indexdef(i.indexrelid)
    from pg_catalog.pg_index i join pg_catalog.pg_class c on c.oid = i.indexrelid join pg_catalog.pg_namespace n on n.oid = c.relnamespace
   where ${listed('i.indrelid')} and ${USER} and ${NOT_EXTENSION('pg_class', 'c.oid')}
  union all
  select c.oid, 'sequence ' || n.nspname || '.' || c.relname || ' ' || sq.seqtypid::regtype || ' ' || sq.seqstart || ' ' || sq.seqincrement || ' ' || sq.seqmin || ' ' || sq.seqmax || ' ' || sq.seqcycle
    from pg_catalog.pg_sequence sq join pg_catalog.pg_class c on c.oid = sq.seqrelid join pg_catalog.pg_namespace n on n.oid = c.relnamespace
   where ${listed('sq.seqrelid')} and ${USER} and ${NOT_EXTENSION('pg_class', 'c.oid')}
  union all
  select c.oid, 'trigger ' || pg_catalog.pg_get_triggerdef(tg.oid)
    from pg_catalog.pg_trigger tg join pg_catalog.pg_class c on c.oid = tg.tgrelid join pg_catalog.pg_namespace n on n.oid = c.relnamespace
   where ${listed('tg.tgrelid')} and ${USER} and not tg.tgisinternal`;

/** The definition lines of the objects that belong to no relation. */
const GLOBAL_LINES = `
  select 'schema ' || n.nspname as line from pg_catalog.pg_namespace n where ${USER} and n.nspname <> 'public'
  union all
  select 'extension ' || e.extname || ' ' || e.extversion from pg_catalog.pg_extension e where e.extname <> 'plpgsql'
  union all
  select 'constraint ' || n.nspname || '.' || t.typname || '.' || con.conname || ' ' || pg_catalog.pg_get_constraintdef(con.oid)
    from pg_catalog.pg_constraint con
    join pg_catalog.pg_namespace n on n.oid = con.connamespace
    left join pg_catalog.pg_type t on t.oid = con.contypid
   where con.conrelid = 0 and ${USER} and ${NOT_EXTENSION('pg_constraint', 'con.oid')}
  union all
  select 'type ' || n.nspname || '.' || t.typname || ' ' || t.typtype::text || ' ' || coalesce((select string_agg(e.enumlabel, ',' order by e.enumsortorder) from pg_catalog.pg_enum e where e.enumtypid = t.oid), '')
         || ' ' || coalesce(pg_catalog.format_type(t.typbasetype, t.typtypmod), '')
    from pg_catalog.pg_type t join pg_catalog.pg_namespace n on n.oid = t.typnamespace
   where ${USER} and t.typtype in ('e', 'd', 'r') and ${NOT_EXTENSION('pg_type', 't.oid')}
  union all
  select 'function ' || n.nspname || '.' || p.proname || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ') ' || p.prokind::text
         || ' ' || pg_catalog.pg_get_function_result(p.oid) || ' ' || md5(coalesce(p.prosrc, ''))
    from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
   where ${USER} and ${NOT_EXTENSION('pg_proc', 'p.oid')}`;

/** md5 of the lines in byte order; null when there are none. */
const hashOf = (lines: string) => `(select md5(string_agg(line, E'\\n' order by line collate "C")) from (${lines}) lines)`;

/**
 * The versions of the rows each relation's text is read from. Rows (kind, rel, v): `r` a user
 * relation; `o` the md5 of the versions of a relation's rows (its own and its indexes' pg_class rows,
 * pg_attribute, pg_index, pg_constraint, pg_attrdef, pg_trigger (not the internal triggers of a foreign
 * key, which no text shows: adding or dropping a key that references a table does not make that table
 * a new part), pg_rewrite, pg_sequence and
 * pg_description rows); `n` a relation its text names (`v`: a foreign key's target, a constraint
 * trigger's, the sequence of a default, a view's relations, a relation whose row type a column
 * uses); `g` the versions of every object of no relation. Index columns are left out: an index's text
 * is its pg_index row, its name and its table's columns. A group's rows come in scan order: another
 * order only costs a render.
 */
const PARTS_SQL = `
with versions as (
  select coalesce(i.indrelid, c.oid) as rel, 'c' || ${V('c')} as v
    from pg_catalog.pg_class c left join pg_catalog.pg_index i on i.indexrelid = c.oid
   where c.oid >= ${FIRST_USER_OID} and c.relkind in ('r', 'p', 'v', 'm', 'f', 'S', 'i', 'I')
  union all select a.attrelid, 'a' || ${V('a')} from pg_catalog.pg_attribute a where a.attrelid >= ${FIRST_USER_OID} and a.attnum > 0
  union all select k.conrelid, 'k' || ${V('k')} from pg_catalog.pg_constraint k where k.conrelid >= ${FIRST_USER_OID}
  union all select d.adrelid, 'd' || ${V('d')} from pg_catalog.pg_attrdef d where d.adrelid >= ${FIRST_USER_OID}
  union all select i.indrelid, 'i' || ${V('i')} from pg_catalog.pg_index i where i.indrelid >= ${FIRST_USER_OID}
  union all select t.tgrelid, 't' || ${V('t')} from pg_catalog.pg_trigger t where t.tgrelid >= ${FIRST_USER_OID} and not t.tgisinternal
  union all select w.ev_class, 'w' || ${V('w')} from pg_catalog.pg_rewrite w where w.ev_class >= ${FIRST_USER_OID}
  union all select s.seqrelid, 's' || ${V('s')} from pg_catalog.pg_sequence s where s.seqrelid >= ${FIRST_USER_OID}
  union all select m.objoid, 'm' || ${V('m')} from pg_catalog.pg_description m where m.objoid >= ${FIRST_USER_OID} and m.classoid = 'pg_catalog.pg_class'::regclass
), names as (
  select k.conrelid as rel, k.confrelid as other from pg_catalog.pg_constraint k where k.conrelid >= ${FIRST_USER_OID} and k.confrelid <> 0
  union all select t.tgrelid, t.tgconstrrelid from pg_catalog.pg_trigger t where t.tgrelid >= ${FIRST_USER_OID} and t.tgconstrrelid <> 0 and not t.tgisinternal
  union all
  -- defaults (a sequence) and views' rules (their relations): the owner is what the object auto-depends on
  select owner.refobjid, d.refobjid
    from pg_catalog.pg_depend d
    join pg_catalog.pg_depend owner on owner.classid = d.classid and owner.objid = d.objid and owner.deptype in ('a', 'i') and owner.refclassid = 'pg_catalog.pg_class'::regclass
   where d.classid in ('pg_catalog.pg_attrdef'::regclass, 'pg_catalog.pg_rewrite'::regclass) and d.objid >= ${FIRST_USER_OID}
     and d.refclassid = 'pg_catalog.pg_class'::regclass and d.refobjid >= ${FIRST_USER_OID} and d.deptype = 'n'
  union all
  -- columns (and defaults, constraints, views, triggers) using a relation's row type, or an array of one
  select coalesce(k.conrelid, ad.adrelid, w.ev_class, tg.tgrelid, d.objid), coalesce(nullif(t.typrelid, 0), te.typrelid)
    from pg_catalog.pg_depend d
    join pg_catalog.pg_type t on t.oid = d.refobjid
    left join pg_catalog.pg_type te on te.oid = t.typelem and t.typelem <> 0
    left join pg_catalog.pg_constraint k on d.classid = 'pg_catalog.pg_constraint'::regclass and k.oid = d.objid
    left join pg_catalog.pg_attrdef ad on d.classid = 'pg_catalog.pg_attrdef'::regclass and ad.oid = d.objid
    left join pg_catalog.pg_rewrite w on d.classid = 'pg_catalog.pg_rewrite'::regclass and w.oid = d.objid
    left join pg_catalog.pg_trigger tg on d.classid = 'pg_catalog.pg_trigger'::regclass and tg.oid = d.objid
   where d.classid in ('pg_catalog.pg_class'::regclass, 'pg_catalog.pg_constraint'::regclass, 'pg_catalog.pg_attrdef'::regclass, 'pg_catalog.pg_rewrite'::regclass, 'pg_catalog.pg_trigger'::regclass)
     and d.objid >= ${FIRST_USER_OID} and d.refclassid = 'pg_catalog.pg_type'::regclass and d.refobjid >= ${FIRST_USER_OID}
     and (t.typrelid <> 0 or te.typrelid <> 0)
), own as materialized (
  select rel, md5(string_agg(v, ',')) as own from versions group by rel
), maps as materialized (
  -- looked up by key below: no join whose plan could go wrong when the estimates do
  select (select jsonb_object_agg(rel::text, own) from own) as owns,
         (select jsonb_object_agg(rel::text, others) from (select rel, array_agg(distinct other::text) as others from names where other <> rel group by rel) r) as named,
         (select md5(coalesce(string_agg(v, ','), '')) from (
  select ${V('n')} as v from pg_catalog.pg_namespace n
  union all select 'x' || ${V('e')} from pg_catalog.pg_extension e
  union all select 'e' || ${V('d')} from pg_catalog.pg_depend d where d.refclassid = 'pg_catalog.pg_extension'::regclass and d.refobjid >= ${FIRST_USER_OID}
  union all select 'p' || ${V('p')} from pg_catalog.pg_proc p where p.oid >= ${FIRST_USER_OID}
  union all select 'y' || ${V('t')} from pg_catalog.pg_type t where t.oid >= ${FIRST_USER_OID} and t.typrelid = 0 and not (t.typtype = 'b' and t.typcategory = 'A' and t.typelem <> 0)
  union all select 'c' || ${V('c')} from pg_catalog.pg_class c where c.oid >= ${FIRST_USER_OID} and c.relkind = 'c'
  union all select 'l' || ${V('en')} from pg_catalog.pg_enum en where en.oid >= ${FIRST_USER_OID}
  union all select 'k' || ${V('k')} from pg_catalog.pg_constraint k where k.conrelid = 0 and k.oid >= ${FIRST_USER_OID}
  union all select 'o' || ${V('co')} from pg_catalog.pg_collation co where co.oid >= ${FIRST_USER_OID}
  union all select 'r' || ${V('op')} from pg_catalog.pg_operator op where op.oid >= ${FIRST_USER_OID}
  union all select 'q' || ${V('oc')} from pg_catalog.pg_opclass oc where oc.oid >= ${FIRST_USER_OID}
  union all select 'f' || ${V('opf')} from pg_catalog.pg_opfamily opf where opf.oid >= ${FIRST_USER_OID}
  union all select 'm' || ${V('am')} from pg_catalog.pg_am am where am.oid >= ${FIRST_USER_OID}
  union all select 'g' || ${V('ts')} from pg_catalog.pg_ts_config ts where ts.oid >= ${FIRST_USER_OID}
) global_rows) as global
), sigs as (
  select c.oid as rel, md5(m.global || ';' || coalesce(m.owns ->> c.oid::text, '') || ';'
         || coalesce((select string_agg(coalesce(m.owns ->> x, '-'), ',' order by 1) from jsonb_array_elements_text(m.named -> c.oid::text) x), '')) as sig
    from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace cross join maps m
   where c.oid >= ${FIRST_USER_OID} and ${USER} and c.relkind in ${RELATION_KINDS}
), known as (
  select unnest($1::text::text[]) as sig
)
select 0 as rel, m.global as sig, case when m.global in (select sig from known) then null else coalesce(${hashOf(GLOBAL_LINES)}, '') end as hash from maps m
union all
select sg.rel, sg.sig, case when sg.sig in (select sig from known) then null else ${hashOf(relationLines((column) => `${column} = sg.rel`))} end from sigs sg`;

interface PartRow {
  /** The relation's oid; 0 for the objects of no relation. */
  rel: number | string;
  sig: string;
  /** Null when the caller knew the signature (or the relation has no lines). */
  hash: string | null;
}

interface PgConnection {
  query(config: { name: string; text: string; values?: unknown[] }): Promise<{ rows: unknown[] }>;
}

/** A part's hash is kept this many calls after its signature was last seen. */
const KEEP_CALLS = 6;

/**
 * A fingerprinter remembers the parts it has rendered, by signature, so that each call renders only
 * the relations whose catalog rows (or those of the relations they name) changed since: one round
 * trip. One per shadow database; calls must not overlap.
 */
export class SchemaFingerprinter {
  private readonly known = new Map<string, { hash: string | null; seen: number }>();
  private calls = 0;

  /** The fingerprint of the user schema the connection (or transaction) sees. */
  async fingerprint(knex: Knex): Promise<string> {
    const call = ++this.calls;
    for (const [sig, entry] of this.known) if (call - entry.seen > KEEP_CALLS) this.known.delete(sig);
    const rows = (await query(knex, 'stepstone_schema_parts', PARTS_SQL, [`{${[...this.known.keys()].join(',')}}`])) as PartRow[];
    let global = '';
    const hashes: string[] = [];
    for (const row of rows) {
      let entry = this.known.get(row.sig);
      if (!entry) this.known.set(row.sig, (entry = { hash: row.hash, seen: call }));
      entry.seen = call;
      if (Number(row.rel) === 0) global = entry.hash ?? '';
      else if (entry.hash !== null) hashes.push(entry.hash);
    }
    // Relations are compared by their text, not their oids: a table dropped and created again is the same.
    hashes.sort();
    return `${global}:${hashes.length}:${createHash('md5').update(hashes.join(',')).digest('hex')}`;
  }
}

async function query(knex: Knex, name: string, text: string, values: unknown[] = []): Promise<unknown[]> {
  const client = knex.client as { config?: { client?: unknown }; acquireConnection(): Promise<unknown>; releaseConnection(c: unknown): Promise<unknown> };
  if (client.config?.client !== 'pg') {
    return queryRows(knex, text.replace(/\$(\d)/g, '?'), values);
  }
  // A named statement is planned once per connection: planning these unions costs more than running them.
  const connection = (await client.acquireConnection()) as PgConnection;
  try {
    const { rows } = await connection.query({ name, text, values });
    return rows;
  } finally {
    await client.releaseConnection(connection);
  }
}
