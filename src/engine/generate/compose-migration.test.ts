// Generated migrations proved on real PostgreSQL: the schema fixture (every object kind) adopted
// from an empty database and back, then a chain of model changes, each verified on a shadow.
import knex, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/database';
import { targetFor } from '../../../test/targets';
import type { SchemaSnapshot } from '../../shared/schema';
import { FIXTURE_SCHEMA_SQL } from '../schema/fixture-schema';
import { introspectSchema } from '../schema';
import { openShadowDatabase, type ShadowDatabase } from '../shadow';
import { composeMigration, renderComposed } from './compose-migration';
import { NO_RENAMES, resolveRenames } from './renames';
import { typecheckMigrations } from './typecheck.testkit';
import { verifyMigration } from './verify-migration';

let live: TestDatabase;
let db: Knex;
let shadow: ShadowDatabase;
let empty: SchemaSnapshot;
/** Every file generated here, type-checked together at the end. */
const generated: Record<string, string> = {};

beforeAll(async () => {
  live = await createTestDatabase('compose');
  db = knex({ client: 'pg', connection: live.url, pool: { min: 0, max: 2 } });
  shadow = await openShadowDatabase({ server: targetFor(live.url), purpose: 'test' });
  empty = await introspectSchema(shadow.knex);
});

afterAll(async () => {
  await shadow?.release();
  await db?.destroy();
  await live?.drop();
});

async function generateAndVerify(current: SchemaSnapshot, desired: SchemaSnapshot, renames: string[] = [], upAgain = false) {
  const composed = composeMigration({ current, desired, renames: renames.length ? resolveRenames(renames, current, desired) : NO_RENAMES, title: 'test' });
  const content = renderComposed(composed, [], { language: 'ts', format: 'esm' });
  generated[`m${Object.keys(generated).length}.ts`] = content;
  const verification = await verifyMigration({
    shadow, fileName: '20990101000000_test.ts', content, current, desired, irreversibleDown: composed.irreversibleDown, upAgain,
  });
  return { composed, content, verification };
}

describe('a baseline of the schema fixture', () => {
  it('recreates every object kind exactly, and down leaves the database empty', async () => {
    await db.raw(FIXTURE_SCHEMA_SQL);
    const desired = await introspectSchema(db);
    const { content, verification } = await generateAndVerify(empty, desired, [], true);
    if (!verification.ok) console.log(content, JSON.stringify(verification, null, 1));
    expect(verification.up.status).toBe('matches');
    expect(verification.down.status).toBe('matches');
    expect(verification.upAgain?.status).toBe('matches');
    expect(content).toContain("await knex.schema.withSchema('public').createTable('users', (t) => {");
    await shadow.reset();
  });
});

describe('a chain of model changes, each generated and verified', () => {
  let current: SchemaSnapshot;
  beforeAll(async () => {
    // The shadow holds the fixture (the previous test left it empty).
    current = await introspectSchema(db);
    const baseline = await generateAndVerify(empty, current, [], true);
    expect(baseline.verification.ok).toBe(true);
  });

  async function step(sql: string, renames: string[] = []) {
    await db.raw(sql);
    const desired = await introspectSchema(db);
    const result = await generateAndVerify(current, desired, renames, true);
    if (!result.verification.ok) console.log(result.content, JSON.stringify(result.verification, null, 1));
    current = desired;
    return result;
  }

  it('adds a column with a default through the builder', async () => {
    const { content, verification, composed } = await step(`alter table public.users add column phone varchar(32) not null default ''`);
    expect(verification).toMatchObject({ ok: true, up: { status: 'matches' }, down: { status: 'matches' } });
    expect(content).toContain(`t.string('phone', 32).notNullable().defaultTo(knex.raw('\\'\\'::character varying'));`);
    expect(content).toContain(`t.dropColumn('phone');`);
    expect(composed.summary).toMatchObject({ added: ['column public.users.phone'], altered: [], dropped: [] });
  });

  it('adds a table with a foreign key, then an index', async () => {
    const table = await step(`create table public.posts (id bigserial primary key, user_id bigint not null references public.users (id) on delete cascade, body text)`);
    expect(table.verification.ok).toBe(true);
    expect(table.content).toContain(`t.bigIncrements('id', { primaryKey: false });`);
    expect(table.content).toContain(`t.foreign(['user_id'], 'posts_user_id_fkey').references(['id']).inTable('public.users').onDelete('CASCADE');`);
    expect(table.content).toContain(`await knex.schema.withSchema('public').dropTable('posts');`);
    const index = await step(`create index posts_user_idx on public.posts (user_id)`);
    expect(index.verification.ok).toBe(true);
    expect(index.content).toContain(`t.index(['user_id'], 'posts_user_idx');`);
  });

  it('adds an enum value; down refuses clearly (PostgreSQL cannot drop one)', async () => {
    const { content, verification, composed } = await step(`alter type public.mood add value 'excited' after 'happy'`);
    expect(verification.up.status).toBe('matches');
    expect(verification.down.status).toBe('irreversible');
    expect(verification.ok).toBe(true);
    expect(content).toContain(`await knex.raw('alter type "public"."mood" add value \\'excited\\' after \\'happy\\'');`);
    expect(content).toMatch(/export async function down[^]*throw new Error\('PostgreSQL cannot drop a value from an enum: public\.mood would lose \\'excited\\'/);
    expect(composed.warnings.join('\n')).toMatch(/down cannot be run/);
  });

  it('widens a column type (the views reading the table are recreated around it)', async () => {
    const { content, verification } = await step(`alter table public.users alter column phone type varchar(64)`);
    expect(verification.ok).toBe(true);
    expect(content).toContain(`t.string('phone', 64).notNullable().defaultTo(knex.raw('\\'\\'::character varying')).alter();`);
    expect(content).toMatch(/drop view "public"."active_users"[^]*alter\(\)[^]*create view "public"."active_users"/);
  });

  it('drops a column, marked as data loss', async () => {
    const { content, verification, composed } = await step(`alter table public.users drop column avatar`);
    expect(verification.ok).toBe(true);
    expect(composed.dataLoss).toEqual(['column public.users.avatar']);
    expect(content).toMatch(/DATA LOSS: up drops these and their data:\n \* {3}- column public\.users\.avatar/);
  });

  it('offers a dropped and an added column of one type as a rename, and renames when asked', async () => {
    await db.raw(`alter table public.rooms rename column name to title`);
    const desired = await introspectSchema(db);
    const guessed = composeMigration({ current, desired, renames: NO_RENAMES, title: 'test' });
    expect(guessed.renameCandidates).toContainEqual({ kind: 'column', from: 'public.rooms.name', to: 'public.rooms.title', option: '--rename rooms.name=title' });
    expect(guessed.dataLoss).toEqual(['column public.rooms.name']);
    const { content, verification, composed } = await generateAndVerify(current, desired, ['rooms.name=title'], true);
    if (!verification.ok) console.log(content, JSON.stringify(verification, null, 1));
    expect(verification.ok).toBe(true);
    expect(content).toContain(`t.renameColumn('name', 'title');`);
    expect(composed.dataLoss).toEqual([]);
    expect(composed.renameCandidates).toEqual([]);
    expect(composed.summary.renamed).toEqual(['column public.rooms.name → public.rooms.title']);
    current = desired;
  });

  it('renames a table when asked', async () => {
    await db.raw(`alter table public.posts rename to articles`);
    const desired = await introspectSchema(db);
    const { content, verification } = await generateAndVerify(current, desired, ['posts=articles'], true);
    if (!verification.ok) console.log(content, JSON.stringify(verification, null, 1));
    expect(verification.ok).toBe(true);
    expect(content).toContain(`await knex.schema.withSchema('public').renameTable('posts', 'articles');`);
    expect(content).toContain(`await knex.schema.withSchema('public').renameTable('articles', 'posts');`);
    current = desired;
  });

  it('refuses a --rename naming a column or table that does not exist', () => {
    expect(() => resolveRenames(['articles.nope=body2'], current, current)).toThrow(/public\.articles has no column nope in the current schema/);
    expect(() => resolveRenames(['ghost=phantom'], current, current)).toThrow(/no table ghost in the current schema/);
    expect(() => resolveRenames(['a=b=c'], current, current)).toThrow(/not of the form/);
  });
});

describe('a migration too large for one transaction', () => {
  it('runs without a transaction, its SQL sent in batches, and still verifies', async () => {
    await shadow.reset();
    const other = await createTestDatabase('compose_large');
    const source = knex({ client: 'pg', connection: other.url, pool: { min: 0, max: 1 } });
    let desired: SchemaSnapshot;
    try {
      await source.raw(FIXTURE_SCHEMA_SQL);
      desired = await introspectSchema(source);
    } finally {
      await source.destroy();
      await other.drop();
    }
    const composed = composeMigration({ current: empty, desired, renames: NO_RENAMES, title: 'large', relationsPerTransaction: 10 });
    expect(composed.nonTransactional).toBe(true);
    const content = renderComposed(composed, [], { language: 'js', format: 'cjs' });
    expect(content).toContain('exports.config = { transaction: false };');
    expect(content).toMatch(/Runs without a transaction \(config\.transaction = false\): it creates or drops more than 10 relations/);
    expect(content).not.toContain('knex.schema');
    // One call carries many statements: the users table, its comments and indexes travel together.
    expect(content).toMatch(/create table "public"\."users" \([^`]*\n\);\ncomment on table "public"\."users" is 'People who sign in';\ncomment on column/);
    const verification = await verifyMigration({ shadow, fileName: '20990101000000_large.js', content, current: empty, desired, irreversibleDown: composed.irreversibleDown });
    if (!verification.ok) console.log(JSON.stringify(verification, null, 1));
    expect(verification).toMatchObject({ ok: true, up: { status: 'matches' }, down: { status: 'matches' } });
  });
});

describe('the generated TypeScript', () => {
  it('type-checks against Knex’s types with the project’s TypeScript', () => {
    expect(Object.keys(generated).length).toBeGreaterThan(8);
    expect(typecheckMigrations(generated)).toEqual([]);
  });

  it('fails to type-check when it misuses the builder (the check can fail)', () => {
    const broken = generated['m0.ts'].replace("t.text('email')", "t.text('email', 42, 'x')");
    expect(typecheckMigrations({ 'broken.ts': broken }).join('\n')).toMatch(/Expected 1-2 arguments|Expected 1 arguments/);
  });
});
