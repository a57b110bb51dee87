/**
 * Emptying a database before a restore into it: every user schema is dropped (so objects created
 * after the backup go too), and the schemas that existed keep their owner, grants and comment when they are
 * created again. Meant to run inside the restore's transaction, so a failure undoes the drop.
 */
import type pg from 'pg';
import { quoteIdent, quoteLiteral } from '../schema/sql-quoting';

/** What to do around the restore's own statements. */
export interface SchemaReplacement {
  /** DROP SCHEMA … CASCADE for every user schema (run first). */
  drop: string[];
  /** Owner and grants of the schemas that existed (run after the schemas are created again). */
  reapply: string[];
  /** The user schemas that existed, e.g. to recreate `public` when a restore assumes it exists. */
  existing: string[];
}

/** Reads the target's user schemas and the statements that replace them. */
export async function planSchemaReplacement(client: pg.Client): Promise<SchemaReplacement> {
  const { rows } = await client.query<{ name: string; owner: string; comment: string | null }>(
    `select n.nspname as name, pg_catalog.pg_get_userbyid(n.nspowner) as owner,
       pg_catalog.obj_description(n.oid, 'pg_namespace') as comment
     from pg_catalog.pg_namespace n
     where n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'
       and not exists (select 1 from pg_catalog.pg_depend d where d.classid = 'pg_catalog.pg_namespace'::regclass
                       and d.objid = n.oid and d.deptype = 'e')
     order by 1`,
  );
  const grants = await client.query<{ name: string; privilege: string; grantee: string | null; grantable: boolean }>(
    `select n.nspname as name, a.privilege_type as privilege,
       case when a.grantee = 0 then null else pg_catalog.pg_get_userbyid(a.grantee) end as grantee, a.is_grantable as grantable
     from pg_catalog.pg_namespace n, pg_catalog.aclexplode(n.nspacl) a
     where n.nspname = any($1::text[])
     order by 1, 2, 3`,
    [rows.map((r) => r.name)],
  );
  const exists = (name: string) => `exists (select 1 from pg_catalog.pg_namespace where nspname = ${literal(name)})`;
  const whenSchemaExists = (name: string, sql: string) => `do $stepstone$ begin if ${exists(name)} then execute ${literal(sql)}; end if; end $stepstone$`;
  return {
    drop: rows.map((r) => `drop schema if exists ${quoteIdent(r.name)} cascade`),
    reapply: [
      ...rows.map((r) => whenSchemaExists(r.name, `alter schema ${quoteIdent(r.name)} owner to ${quoteIdent(r.owner)}`)),
      ...rows.filter((r) => r.comment !== null).map((r) => whenSchemaExists(r.name, `comment on schema ${quoteIdent(r.name)} is ${literal(r.comment ?? '')}`)),
      ...grants.rows.map((g) =>
        whenSchemaExists(
          g.name,
          `grant ${g.privilege} on schema ${quoteIdent(g.name)} to ${g.grantee === null ? 'public' : quoteIdent(g.grantee)}${g.grantable ? ' with grant option' : ''}`,
        ),
      ),
    ],
    existing: rows.map((r) => r.name),
  };
}

function literal(value: string): string {
  return quoteLiteral(value);
}
