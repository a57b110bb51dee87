/**
 * The project every fault trial migrates: six small JavaScript migrations, each with the schema
 * objects it creates listed beside it, so a trial can tell a migration that is applied (ledger row
 * and every object), absent (neither) or half-applied (anything else). Pauses inside the migrations
 * (pg_sleep) open the windows a kill or a terminated connection falls into.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A schema object a migration creates: looked up by kind and name in the trial's database. */
export type FixtureObject =
  | { kind: 'table' | 'view' | 'index'; name: string }
  | { kind: 'column'; table: string; name: string }
  | { kind: 'constraint'; table: string; name: string };

export interface FixtureMigration {
  name: string;
  /** False for the one that opts out of the transaction (CREATE INDEX CONCURRENTLY). */
  transactional: boolean;
  creates: FixtureObject[];
  source: string;
}

const js = (up: string, down: string, transactional = true) =>
  `${transactional ? '' : 'exports.config = { transaction: false };\n'}exports.up = async (knex) => {\n${up}\n};\nexports.down = async (knex) => {\n${down}\n};\n`;

export const FIXTURE_MIGRATIONS: FixtureMigration[] = [
  {
    name: '20240101000001_create_accounts.js',
    transactional: true,
    creates: [{ kind: 'table', name: 'fx_accounts' }],
    source: js(
      `  await knex.raw('create table fx_accounts (id serial primary key, name text not null)');
  await knex.raw("insert into fx_accounts (name) select 'account ' || g from generate_series(1, 200) g");`,
      `  await knex.raw('drop table fx_accounts');`,
    ),
  },
  {
    name: '20240101000002_create_orders.js',
    transactional: true,
    creates: [{ kind: 'table', name: 'fx_orders' }, { kind: 'index', name: 'fx_orders_account_idx' }],
    source: js(
      `  await knex.raw('create table fx_orders (id serial primary key, account_id int not null references fx_accounts, amount int not null)');
  await knex.raw('select pg_sleep(0.2)');
  await knex.raw('create index fx_orders_account_idx on fx_orders (account_id)');
  await knex.raw('insert into fx_orders (account_id, amount) select 1 + g % 200, g from generate_series(1, 2000) g');`,
      `  await knex.raw('drop table fx_orders');`,
    ),
  },
  {
    name: '20240101000003_add_account_score.js',
    transactional: true,
    creates: [{ kind: 'column', table: 'fx_accounts', name: 'score' }],
    source: js(
      `  await knex.raw('alter table fx_accounts add column score int');
  await knex.raw('select pg_sleep(0.3)');
  await knex.raw('update fx_accounts set score = id * 2');`,
      `  await knex.raw('select pg_sleep(0.2)');
  await knex.raw('alter table fx_accounts drop column score');`,
    ),
  },
  {
    name: '20240101000004_create_events.js',
    transactional: true,
    creates: [{ kind: 'table', name: 'fx_events' }, { kind: 'view', name: 'fx_event_counts' }],
    source: js(
      `  await knex.raw('create table fx_events (id serial primary key, kind text not null, at timestamptz not null default now())');
  await knex.raw("insert into fx_events (kind) select 'kind ' || (g % 7) from generate_series(1, 3000) g");
  await knex.raw('select pg_sleep(0.2)');
  await knex.raw('create view fx_event_counts as select kind, count(*) as n from fx_events group by kind');`,
      `  await knex.raw('drop view fx_event_counts');
  await knex.raw('select pg_sleep(0.2)');
  await knex.raw('drop table fx_events');`,
    ),
  },
  {
    name: '20240101000005_index_events_kind_concurrently.js',
    transactional: false,
    creates: [{ kind: 'index', name: 'fx_events_kind_idx' }],
    source: js(
      `  await knex.raw('create index concurrently fx_events_kind_idx on fx_events (kind)');`,
      `  await knex.raw('drop index concurrently if exists fx_events_kind_idx');`,
      false,
    ),
  },
  {
    name: '20240101000006_check_order_amount.js',
    transactional: true,
    creates: [{ kind: 'constraint', table: 'fx_orders', name: 'fx_orders_amount_check' }],
    source: js(
      `  await knex.raw('select pg_sleep(0.2)');
  await knex.raw('alter table fx_orders add constraint fx_orders_amount_check check (amount >= 0)');`,
      `  await knex.raw('alter table fx_orders drop constraint fx_orders_amount_check');`,
    ),
  },
];

/** The last migration before the non-transactional one: upgrade and rollback trials stay below it, so their plans can run in one transaction. */
export const TRANSACTIONAL_HEAD = FIXTURE_MIGRATIONS[3].name;
export const NON_TRANSACTIONAL = FIXTURE_MIGRATIONS[4];
export const HEAD = FIXTURE_MIGRATIONS[FIXTURE_MIGRATIONS.length - 1].name;

/** Write the project (migrations/ and a knexfile.js for the knex CLI reading FAULTS_DATABASE_URL) into `dir`. */
export function writeFixtureProject(dir: string): { migrations: string; knexfile: string } {
  const migrations = join(dir, 'migrations');
  mkdirSync(migrations, { recursive: true });
  for (const m of FIXTURE_MIGRATIONS) writeFileSync(join(migrations, m.name), m.source);
  const knexfile = join(dir, 'knexfile.js');
  writeFileSync(
    knexfile,
    `module.exports = { client: 'pg', connection: process.env.FAULTS_DATABASE_URL, pool: { min: 0, max: 2 }, migrations: { directory: ${JSON.stringify(migrations)}, tableName: 'knex_migrations' } };\n`,
  );
  return { migrations, knexfile };
}
