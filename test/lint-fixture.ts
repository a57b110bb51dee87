// The lint scenario: a database with a 400k-row `orders` table (never analyzed, so
// reltuples is -1) and a folder of pending migrations, each doing one thing to it.
import { migrationsFolder } from './targets';
import { query } from './database';

export const BIG_ROWS = 400_000;

/** Creates `users` (small) and `orders` (BIG_ROWS rows, autovacuum off so it stays never-analyzed). */
export async function createOrdersTable(url: string, rows = BIG_ROWS): Promise<void> {
  await query(url, `create table users (id serial primary key, name text)`);
  await query(url, `insert into users (name) select 'u' || g from generate_series(1, 100) g`);
  await query(
    url,
    `create table orders (id serial primary key, user_id integer not null, amount integer not null, status text, note text, customer text)
       with (autovacuum_enabled = false)`,
  );
  await query(url, `insert into orders (user_id, amount, status, note, customer) select 1 + g % 100, g, 'new', 'n', 'c' || g from generate_series(1, $1::int) g`, [rows]);
}

/** Pending migrations: the dangerous ones first (one transaction), then the safe ones. */
export const LINT_MIGRATIONS: Record<string, string> = {
  '20260101000001_index_orders.js': `exports.up = (knex) => knex.schema.alterTable('orders', (t) => { t.index(['customer']); });
exports.down = (knex) => knex.schema.alterTable('orders', (t) => { t.dropIndex(['customer']); });
`,
  '20260101000002_fk_orders_users.js': `exports.up = (knex) => knex.schema.alterTable('orders', (t) => { t.foreign('user_id').references('users.id'); });
exports.down = (knex) => knex.schema.alterTable('orders', (t) => { t.dropForeign('user_id'); });
`,
  '20260101000003_amount_bigint.js': `exports.up = (knex) => knex.raw('alter table orders alter column amount type bigint');
exports.down = (knex) => knex.raw('alter table orders alter column amount type integer');
`,
  '20260101000004_orders_token.js': `exports.up = (knex) => knex.schema.alterTable('orders', (t) => { t.uuid('token').defaultTo(knex.raw('gen_random_uuid()')); });
exports.down = (knex) => knex.schema.alterTable('orders', (t) => { t.dropColumn('token'); });
`,
  '20260101000005_drop_note.js': `exports.up = (knex) => knex.schema.alterTable('orders', (t) => { t.dropColumn('note'); });
exports.down = (knex) => knex.schema.alterTable('orders', (t) => { t.text('note'); });
`,
  '20260101000006_rename_customer.js': `exports.up = (knex) => knex.schema.alterTable('orders', (t) => { t.renameColumn('customer', 'customer_name'); });
exports.down = (knex) => knex.schema.alterTable('orders', (t) => { t.renameColumn('customer_name', 'customer'); });
`,
  '20260101000007_backfill_status.js': `exports.up = (knex) => knex('orders').update({ status: 'open' });
exports.down = () => {};
`,
  '20260101000008_index_concurrently.js': `exports.config = { transaction: false };
exports.up = (knex) => knex.raw('create index concurrently if not exists orders_status_index on orders (status)');
exports.down = (knex) => knex.raw('drop index concurrently if exists orders_status_index');
`,
  '20260101000009_nullable_column.js': `exports.up = (knex) => knex.schema.alterTable('orders', (t) => { t.text('comment').nullable(); });
exports.down = (knex) => knex.schema.alterTable('orders', (t) => { t.dropColumn('comment'); });
`,
  '20260101000010_new_table.js': `exports.up = (knex) => knex.schema.createTable('invoices', (t) => { t.increments(); t.integer('order_id').references('orders.id'); t.index(['order_id']); });
exports.down = (knex) => knex.schema.dropTable('invoices');
`,
};

export function lintMigrationsFolder(extra: Record<string, string> = {}): string {
  return migrationsFolder({ ...LINT_MIGRATIONS, ...extra });
}
