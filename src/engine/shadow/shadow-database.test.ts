// Shadow databases on the real server: a temporary one is marked, usable and dropped (also when the
// process is interrupted); without CREATEDB the error says how to fix it; a named one is used only
// when empty or Stepstone's, emptied before and after, and never when it is the live database.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, query, serverUrl, type TestDatabase } from '../../../test/database';
import { migrationsFolder, targetFor } from '../../../test/targets';
import { StepstoneError } from '../errors';
import { introspectSchema } from '../schema';
import { applyMigrations, loadProjectMigrations } from './apply-migrations';
import { listUserObjects } from './empty-database';
import { openShadowDatabase, withShadowDatabase } from './shadow-database';
import { SHADOW_MARKER } from './temporary-database';

let live: TestDatabase;
beforeAll(async () => {
  live = await createTestDatabase('shadow_live');
});
afterAll(async () => {
  await live?.drop();
});

async function databaseExists(name: string): Promise<boolean> {
  return (await query(serverUrl(), 'select 1 from pg_database where datname = $1', [name])).length === 1;
}

async function failureOf(promise: Promise<unknown>): Promise<StepstoneError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof StepstoneError) return error;
    throw error;
  }
  throw new Error('expected a StepstoneError');
}

describe('temporary shadow database', () => {
  it('is created empty on the same server, marked as Stepstone’s, and dropped on release', async () => {
    const shadow = await openShadowDatabase({ server: targetFor(live.url), purpose: 'test' });
    expect(shadow.kind).toBe('temporary');
    expect(shadow.name).toMatch(/^stepstone_shadow_[0-9a-f]{12}$/);
    expect(shadow.description).toContain(shadow.name);
    const [row] = await query<{ comment: string }>(serverUrl(), "select shobj_description(oid, 'pg_database') as comment from pg_database where datname = $1", [shadow.name]);
    expect(row.comment.startsWith(SHADOW_MARKER)).toBe(true);
    expect(row.comment).toContain(`pid ${process.pid}`);
    await shadow.knex.raw('create table t (id int)');
    expect(await listUserObjects(shadow.knex)).toEqual(['table public.t']);
    await shadow.reset();
    expect(await listUserObjects(shadow.knex)).toEqual([]);
    await shadow.release();
    expect(await databaseExists(shadow.name)).toBe(false);
  });

  it('is dropped when the work inside fails', async () => {
    let name = '';
    const error = await withShadowDatabase({ server: targetFor(live.url), purpose: 'test' }, async (shadow) => {
      name = shadow.name;
      throw new Error('boom');
    }).catch((e: Error) => e);
    expect((error as Error).message).toBe('boom');
    expect(await databaseExists(name)).toBe(false);
  });

  it('is dropped when the process is interrupted (SIGINT) while it is in use', async () => {
    const script = `
      const { openShadowDatabase } = require(${JSON.stringify(resolve(__dirname, 'shadow-database.ts'))});
      openShadowDatabase({ server: { profile: ${JSON.stringify(targetFor(live.url).profile)} }, purpose: 'interrupt test' })
        .then((s) => { process.stdout.write(s.name + '\\n'); setInterval(() => {}, 1000); });`;
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'], cwd: resolve(__dirname, '../../..') });
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const name = await new Promise<string>((done, fail) => {
      child.stdout.on('data', (d) => {
        out += d;
        if (out.includes('\n')) done(out.trim());
      });
      child.on('exit', () => fail(new Error(`child exited early: ${err}`)));
    });
    expect(await databaseExists(name)).toBe(true);
    const exit = new Promise<NodeJS.Signals | number | null>((done) => child.on('exit', (code, signal) => done(signal ?? code)));
    child.kill('SIGINT');
    expect(await exit).toBe('SIGINT');
    expect(await databaseExists(name)).toBe(false);
  });

  it('without CREATEDB and without --shadow, says so and how to fix it', async () => {
    const role = `st_shadow_nocreatedb_${process.pid}`;
    await query(serverUrl(), `create role ${role} login nocreatedb`);
    try {
      const url = new URL(live.url);
      url.username = role;
      const error = await failureOf(openShadowDatabase({ server: targetFor(url.toString()), purpose: 'test' }));
      expect(error.code).toBe('SHADOW_UNAVAILABLE');
      expect(error.message).toMatch(/CREATEDB/);
      expect(error.hint).toMatch(/ALTER ROLE .*CREATEDB.*--shadow/);
    } finally {
      await query(serverUrl(), `drop role if exists ${role}`);
    }
  });
});

describe('named shadow database (--shadow)', () => {
  let named: TestDatabase;
  beforeAll(async () => {
    named = await createTestDatabase('shadow_named');
  });
  afterAll(async () => {
    await named?.drop();
  });

  it('uses an empty database, marks it, and empties it after use', async () => {
    await withShadowDatabase({ server: null, shadowUrl: named.url, purpose: 'test', protect: [targetFor(live.url)] }, async (shadow) => {
      expect(shadow.kind).toBe('named');
      await shadow.knex.raw('create schema extra; create table extra.t (id int); create type public.mood as enum (\'a\')');
    });
    expect(await listUserObjectsAt(named.url)).toEqual([]);
    const [row] = await query<{ comment: string }>(named.url, "select shobj_description(oid, 'pg_database') as comment from pg_database where datname = current_database()");
    expect(row.comment.startsWith(SHADOW_MARKER)).toBe(true);
  });

  it('empties a database Stepstone marked even if a crash left objects in it', async () => {
    await query(named.url, 'create table left_behind (id int)');
    await withShadowDatabase({ server: null, shadowUrl: named.url, purpose: 'test' }, async (shadow) => {
      expect(await listUserObjects(shadow.knex)).toEqual([]);
    });
  });

  it('refuses a non-empty database Stepstone did not make, and leaves it as it was', async () => {
    const other = await createTestDatabase('shadow_foreign');
    try {
      await query(other.url, 'create table precious (id int); insert into precious values (1)');
      const error = await failureOf(openShadowDatabase({ server: null, shadowUrl: other.url, purpose: 'test' }));
      expect(error.code).toBe('SHADOW_NOT_EMPTY');
      expect(error.message).toContain('table public.precious');
      expect(await query(other.url, 'select * from precious')).toEqual([{ id: 1 }]);
      const [row] = await query<{ comment: string | null }>(other.url, "select shobj_description(oid, 'pg_database') as comment from pg_database where datname = current_database()");
      expect(row.comment).toBeNull();
    } finally {
      await other.drop();
    }
  });

  it('refuses the database being worked on, even when it is empty', async () => {
    const error = await failureOf(openShadowDatabase({ server: null, shadowUrl: live.url, purpose: 'test', protect: [targetFor(live.url)] }));
    expect(error.code).toBe('SHADOW_NOT_EMPTY');
    expect(error.message).toMatch(/database being worked on/);
  });

  it('refuses a marked database that holds a migration ledger', async () => {
    await query(named.url, 'create table knex_migrations (id int)');
    try {
      const error = await failureOf(openShadowDatabase({ server: null, shadowUrl: named.url, purpose: 'test' }));
      expect(error.code).toBe('SHADOW_NOT_EMPTY');
      expect(error.hint).toMatch(/ledger/);
    } finally {
      await query(named.url, 'drop table knex_migrations');
    }
  });
});

async function listUserObjectsAt(url: string): Promise<string[]> {
  const { default: knex } = await import('knex');
  const db = knex({ client: 'pg', connection: url });
  try {
    return await listUserObjects(db);
  } finally {
    await db.destroy();
  }
}

describe('applying a project’s migrations on a shadow', () => {
  it('loads TypeScript, ESM and CommonJS files from several folders in Knex’s order, up and down', async () => {
    const first = migrationsFolder({
      '001_users.ts': `import type { Knex } from 'knex';
export async function up(knex: Knex): Promise<void> { await knex.schema.createTable('users', (t) => { t.increments(); t.text('email'); }); }
export async function down(knex: Knex): Promise<void> { await knex.schema.dropTable('users'); }`,
      '003_index.cjs': `exports.config = { transaction: false };
exports.up = (knex) => knex.raw('create index concurrently users_email_idx on users (email)');
exports.down = (knex) => knex.raw('drop index concurrently users_email_idx');`,
    });
    const second = migrationsFolder({
      '002_posts.js': `export const up = (knex) => knex.schema.createTable('posts', (t) => { t.increments(); t.integer('user_id').references('users.id'); });
export const down = (knex) => knex.schema.dropTable('posts');`,
    });
    const settings = targetFor(live.url, [first, second]).profile.migrations;
    const migrations = await loadProjectMigrations(settings);
    expect(migrations.map((m) => m.name)).toEqual(['001_users.ts', '002_posts.js', '003_index.cjs']);
    expect((await loadProjectMigrations(settings, '002_posts')).map((m) => m.name)).toEqual(['001_users.ts', '002_posts.js']);
    await withShadowDatabase({ server: targetFor(live.url), purpose: 'test' }, async (shadow) => {
      const seen: string[] = [];
      await applyMigrations(shadow.knex, migrations, 'up', { onStep: (name, direction) => seen.push(`${direction} ${name}`) });
      const schema = await introspectSchema(shadow.knex);
      expect(schema.tables.map((t) => t.name)).toEqual(['posts', 'users']);
      expect(schema.tables[1].indexes.map((i) => i.name)).toContain('users_email_idx');
      await applyMigrations(shadow.knex, migrations, 'down', { onStep: (name, direction) => seen.push(`${direction} ${name}`) });
      expect((await introspectSchema(shadow.knex)).tables).toEqual([]);
      expect(seen).toEqual(['up 001_users.ts', 'up 002_posts.js', 'up 003_index.cjs', 'down 003_index.cjs', 'down 002_posts.js', 'down 001_users.ts']);
    });
  });

  it('names the migration that fails, and the name asked for that is not in the folder', async () => {
    const folder = migrationsFolder({ '001_bad.js': `exports.up = (knex) => knex.raw('create tabel nope ()'); exports.down = () => {};` });
    const settings = targetFor(live.url, [folder]).profile.migrations;
    const missing = await failureOf(loadProjectMigrations(settings, '999_nope'));
    expect(missing.code).toBe('MIGRATION_NOT_FOUND');
    await withShadowDatabase({ server: targetFor(live.url), purpose: 'test' }, async (shadow) => {
      const error = await failureOf(applyMigrations(shadow.knex, await loadProjectMigrations(settings), 'up'));
      expect(error.code).toBe('MIGRATION_FAILED');
      expect(error.migration).toBe('001_bad.js');
      expect(error.message).toMatch(/001_bad\.js failed \(up\) on the shadow database: .*syntax error/);
    });
  });
});
