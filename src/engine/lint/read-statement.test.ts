// PostgreSQL's parser (libpg-query, WASM) turning statements into the actions the rules read,
// and suppression comments read from migration files.
import { describe, expect, it } from 'vitest';
import { readStatement } from './read-statement';
import { readSuppressions } from './read-suppressions';

async function actions(sql: string) {
  const reading = await readStatement(sql);
  if (!reading.ok) throw new Error(reading.error);
  return reading.actions;
}

describe('readStatement', () => {
  it('reads what Knex sends for indexes, constraints, columns, renames and backfills', async () => {
    expect(await actions('create index "orders_customer_index" on "orders" ("customer")')).toEqual([{ kind: 'create-index', table: { schema: null, name: 'orders' }, concurrently: false, unique: false }]);
    expect(await actions('create unique index concurrently x on sales.orders (a)')).toEqual([{ kind: 'create-index', table: { schema: 'sales', name: 'orders' }, concurrently: true, unique: true }]);
    expect(await actions('alter table "orders" add constraint "f" foreign key ("user_id") references "users" ("id")')).toMatchObject([{ kind: 'add-constraint', constraint: 'foreign', notValid: false, name: 'f' }]);
    expect(await actions('alter table orders add constraint c check (amount > 0) not valid')).toMatchObject([{ kind: 'add-constraint', constraint: 'check', notValid: true }]);
    expect(await actions('alter table orders add constraint u unique using index orders_u')).toMatchObject([{ kind: 'add-constraint', constraint: 'unique', usingIndex: true }]);
    expect(await actions('alter table "orders" add column "token" uuid default gen_random_uuid()')).toMatchObject([{ kind: 'add-column', column: 'token', volatileDefault: true, rewritesByDefinition: false }]);
    expect(await actions(`alter table orders add column created_at timestamptz default now(), add column n bigserial`)).toMatchObject([
      { kind: 'add-column', column: 'created_at', volatileDefault: false, rewritesByDefinition: false },
      { kind: 'add-column', column: 'n', rewritesByDefinition: true },
    ]);
    expect(await actions('alter table "orders" alter column "amount" type bigint using ("amount"::bigint)')).toMatchObject([{ kind: 'alter-column-type', column: 'amount' }]);
    expect(await actions('alter table orders alter column amount set not null')).toMatchObject([{ kind: 'set-not-null', column: 'amount' }]);
    expect(await actions('alter table "orders" rename "customer" to "customer_name"')).toMatchObject([{ kind: 'rename-column', from: 'customer', to: 'customer_name' }]);
    expect(await actions('alter table orders rename to purchases')).toMatchObject([{ kind: 'rename-table', to: 'purchases' }]);
    expect(await actions('drop table if exists a, s.b')).toEqual([
      { kind: 'drop-table', table: { schema: null, name: 'a' } },
      { kind: 'drop-table', table: { schema: 's', name: 'b' } },
    ]);
    expect(await actions('update "orders" set "status" = $1')).toMatchObject([{ kind: 'update', whole: true }]);
    expect(await actions('delete from orders where id < $1')).toMatchObject([{ kind: 'delete', whole: false }]);
    expect(await actions(`set local lock_timeout = '5s'; set lock_timeout = 0`)).toEqual([
      { kind: 'set-lock-timeout', off: false },
      { kind: 'set-lock-timeout', off: true },
    ]);
  });

  it('reports what the parser cannot read, in its words', async () => {
    expect(await readStatement('alter table orders add colum oops text')).toEqual({ ok: false, error: expect.stringMatching(/syntax error at or near "text"/) });
  });
});

describe('readSuppressions', () => {
  it('reads rules and reasons; a comment without a reason or with an unknown rule suppresses nothing and says why', () => {
    const read = readSuppressions(
      [
        '// stepstone-lint-ignore index-not-concurrent, drop-column -- table is empty in every environment',
        "exports.up = (knex) => knex.raw('select 1'); /* stepstone-lint-ignore rename-table -- old name unused since v2 */",
        '// stepstone-lint-ignore set-not-null',
        '// stepstone-lint-ignore no-such-rule -- because',
        '// stepstone-lint-ignore suppression-without-reason -- nice try',
      ].join('\n'),
    );
    expect(read.suppressions).toEqual([
      { rule: 'index-not-concurrent', reason: 'table is empty in every environment', line: 1 },
      { rule: 'drop-column', reason: 'table is empty in every environment', line: 1 },
      { rule: 'rename-table', reason: 'old name unused since v2', line: 2 },
    ]);
    expect(read.problems.map((p) => [p.rule, p.line])).toEqual([
      ['suppression-without-reason', 3],
      ['suppression-unknown-rule', 4],
      ['suppression-unknown-rule', 5],
    ]);
    expect(read.problems[1].message).toContain('"no-such-rule"');
  });
});
