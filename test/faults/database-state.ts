/**
 * What a trial's database really holds, read directly from the catalogs (never through Stepstone):
 * the ledger, each fixture object, Knex's lock row, who holds a lock, and a schema signature to
 * compare with the reference database.
 */
import pg from 'pg';
import type { FixtureObject } from './fixture';

export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: 'fsuite observer' });
  client.on('error', () => {}); // a trial may terminate backends; the observer's own errors surface on its queries
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** The ledger's migration names (empty when Knex's table does not exist). */
export async function ledgerNames(client: pg.Client): Promise<string[]> {
  const exists = (await client.query(`select to_regclass('public.knex_migrations') is not null as e`)).rows[0].e;
  if (!exists) return [];
  return (await client.query('select name from knex_migrations order by id')).rows.map((r) => r.name);
}

/** Knex's lock row: true (set), false (free) or null (no lock table yet). */
export async function lockRowSet(client: pg.Client): Promise<boolean | null> {
  const exists = (await client.query(`select to_regclass('public.knex_migrations_lock') is not null as e`)).rows[0].e;
  if (!exists) return null;
  const rows = (await client.query('select is_locked from knex_migrations_lock')).rows;
  return rows.some((r) => Number(r.is_locked) === 1);
}

/** Backends (not ours) holding Stepstone's advisory lock (namespace 'STPS') or a write lock on Knex's tables in this database. */
export async function lockHolderPids(client: pg.Client): Promise<number[]> {
  const rows = (
    await client.query(
      `select distinct l.pid from pg_locks l
        where l.granted and l.pid <> pg_backend_pid()
          and l.database = (select oid from pg_database where datname = current_database())
          and ((l.locktype = 'advisory' and l.classid = ((x'53545053')::int)::oid)
            or (l.locktype = 'relation' and l.mode <> 'AccessShareLock'
                and l.relation in (to_regclass('public.knex_migrations'), to_regclass('public.knex_migrations_lock'))))`,
    )
  ).rows;
  return rows.map((r) => Number(r.pid));
}

/** The lock as it truly is: live when someone holds it, stale when only the row is left set, else free. */
export async function trueLockState(client: pg.Client): Promise<'live' | 'stale' | 'free'> {
  if ((await lockHolderPids(client)).length > 0) return 'live';
  return (await lockRowSet(client)) ? 'stale' : 'free';
}

/** Present, and for an index: valid. An invalid index (a broken CONCURRENTLY build) counts as `invalid`. */
export async function objectState(client: pg.Client, o: FixtureObject): Promise<'present' | 'absent' | 'invalid'> {
  let sql: string;
  let params: string[];
  switch (o.kind) {
    case 'table':
      sql = `select true as ok from pg_class where oid = to_regclass('public.' || quote_ident($1)) and relkind in ('r','p')`;
      params = [o.name];
      break;
    case 'view':
      sql = `select true as ok from pg_class where oid = to_regclass('public.' || quote_ident($1)) and relkind = 'v'`;
      params = [o.name];
      break;
    case 'index':
      sql = `select i.indisvalid as ok from pg_index i where i.indexrelid = to_regclass('public.' || quote_ident($1))`;
      params = [o.name];
      break;
    case 'column':
      sql = `select true as ok from pg_attribute where attrelid = to_regclass('public.' || quote_ident($1)) and attname = $2 and not attisdropped`;
      params = [o.table, o.name];
      break;
    case 'constraint':
      sql = `select true as ok from pg_constraint where conrelid = to_regclass('public.' || quote_ident($1)) and conname = $2`;
      params = [o.table, o.name];
      break;
  }
  const rows = (await client.query(sql, params)).rows;
  if (rows.length === 0) return 'absent';
  return rows[0].ok ? 'present' : 'invalid';
}

/**
 * The user schema as sorted lines (tables, columns, indexes with validity, constraints, views),
 * leaving out Knex's and Stepstone's own tables: equal lines mean the same schema.
 */
export async function schemaSignature(client: pg.Client): Promise<string[]> {
  const own = `(c.relname like 'knex\\_%' or c.relname like 'stepstone\\_%')`;
  const lines: string[] = [];
  const q = async (sql: string) => (await client.query(sql)).rows.map((r) => String(r.line));
  lines.push(...(await q(`select 'relation ' || c.relname || ' ' || c.relkind::text as line from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind in ('r','v','m','p','S') and not ${own}`)));
  lines.push(...(await q(`select 'column ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || case when a.attnotnull then ' not null' else '' end as line
     from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind in ('r','v','p') and a.attnum > 0 and not a.attisdropped and not ${own}`)));
  lines.push(...(await q(`select 'index ' || ci.relname || case when i.indisvalid then '' else ' INVALID' end || ' ' || pg_get_indexdef(i.indexrelid) as line
     from pg_index i join pg_class ci on ci.oid = i.indexrelid join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and not ${own}`)));
  lines.push(...(await q(`select 'constraint ' || c.relname || '.' || co.conname || ' ' || pg_get_constraintdef(co.oid) as line
     from pg_constraint co join pg_class c on c.oid = co.conrelid join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and not ${own}`)));
  lines.push(...(await q(`select 'view ' || c.relname || ' ' || pg_get_viewdef(c.oid) as line from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind = 'v'`)));
  return lines.sort();
}

/** Backends other than ours (and other than `except`) connected to any of `databases`. */
export async function foreignBackends(client: pg.Client, databases: string[], except: number[] = []): Promise<{ pid: number; application_name: string; datname: string }[]> {
  return (
    await client.query(
      `select pid, application_name, datname from pg_stat_activity
        where datname = any($1::text[]) and pid <> pg_backend_pid() and not (pid = any($2::int[]))`,
      [databases, except],
    )
  ).rows;
}

/** Databases on the server whose name starts with `prefix`. */
export async function databasesLike(client: pg.Client, prefix: string): Promise<string[]> {
  return (await client.query(`select datname from pg_database where starts_with(datname, $1) order by 1`, [prefix])).rows.map((r) => r.datname);
}

/** Stepstone's history rows of `operation` that started at or after `since` (none when it has no history table). */
export async function historyRows(url: string, operation: string, since: Date): Promise<{ id: number; outcome: string }[]> {
  return withClient(url, async (c) => {
    const exists = (await c.query(`select to_regclass('public.stepstone_history') is not null as e`)).rows[0].e;
    if (!exists) return [];
    return (await c.query('select id, outcome from stepstone_history where operation = $1 and started_at >= $2 order by id', [operation, since])).rows;
  });
}
