// The service on the real engine and a real PostgreSQL database: status, plan, execute with
// progress, cancel mid-migration, history, the production confirmation; and the embedded demo.
// Profiles come in as the command-line profile (the saved-profile store is another module).
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppEvent, MigrationStatus, Plan, Profile, RunResult } from '../shared/contract';
import { createTestDatabase, query, type TestDatabase } from '../../test/database';
import { createService, type Service } from './create-service';
import { createRealEngine } from './real-engine';

let db: TestDatabase;
let dir: string;
let service: Service;
let profile: (id: string, environment: Profile['environment']) => Profile;
const events: AppEvent[] = [];

const MIGRATIONS: Record<string, string> = {
  '001_create_things.js': `exports.up = (knex) => knex.schema.createTable('things', (t) => { t.increments('id'); });
exports.down = (knex) => knex.schema.dropTable('things');`,
  '002_add_name.js': `exports.up = (knex) => knex.schema.alterTable('things', (t) => { t.text('name'); });
exports.down = (knex) => knex.schema.alterTable('things', (t) => { t.dropColumn('name'); });`,
};

async function ok<T>(result: Promise<{ ok: boolean; value?: unknown; error?: unknown }>): Promise<T> {
  const answer = await result;
  if (!answer.ok) throw new Error(`expected ok, got ${JSON.stringify(answer.error)}`);
  return answer.value as T;
}

beforeAll(async () => {
  db = await createTestDatabase('service');
  dir = await mkdtemp(join(tmpdir(), 'stepstone-service-'));
  const folder = join(dir, 'migrations');
  await mkdir(folder);
  await mkdir(join(dir, 'data'));
  for (const [name, source] of Object.entries(MIGRATIONS)) await writeFile(join(folder, name), source);
  profile = (id: string, environment: Profile['environment']): Profile => ({
    id,
    name: id,
    environment,
    kind: 'postgres',
    url: db.url,
    passwordSource: 'none',
    migrations: { directories: [folder], tableName: 'knex_migrations' },
    transactionMode: 'knex',
    backupBeforeMigrate: false,
    readOnly: false,
  });
  service = createService({
    dataDir: join(dir, 'data'),
    mode: 'web',
    version: 'test',
    demoMigrationsDir: join(process.cwd(), 'migrations'),
    emit: (event) => events.push(event),
    engine: createRealEngine(),
    initialProfile: { profile: profile('cli', 'development') },
  });
});

afterAll(async () => {
  await service?.shutdown();
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('service on the real engine', () => {
  it('reports every migration pending, upgrades with progress events and records history', async () => {
    const before = await ok<MigrationStatus>(service.dispatch('migrations:status', { profileId: 'cli' }));
    expect(before.pending.map((p) => p.name)).toEqual(['001_create_things.js', '002_add_name.js']);
    const plan = await ok<Plan>(service.dispatch('migrations:plan', { profileId: 'cli', request: { kind: 'upgrade' } }));
    const run = await ok<RunResult>(service.dispatch('migrations:execute', { profileId: 'cli', plan, runId: 'up-1' }));
    expect(run.outcome).toBe('succeeded');
    expect(events.filter((e) => e.type === 'migrations:progressed' && e.runId === 'up-1' && e.event.type === 'finished')).toHaveLength(2);
    expect(await query(db.url, 'select name from knex_migrations order by id')).toEqual([{ name: '001_create_things.js' }, { name: '002_add_name.js' }]);
    const history = await ok<Array<{ operation: string; outcome: string }>>(service.dispatch('history:list', { profileId: 'cli' }));
    expect(history[0]).toMatchObject({ operation: 'upgrade', outcome: 'succeeded' });
  });

  it('cancels a running migration by run id: one transaction, nothing applied', async () => {
    await writeFile(join(dir, 'migrations', '003_slow.js'), `exports.up = (knex) => knex.raw('select pg_sleep(30)');\nexports.down = () => {};`);
    try {
      const plan = await ok<Plan>(service.dispatch('migrations:plan', { profileId: 'cli', request: { kind: 'upgrade' } }));
      expect(plan.steps.map((s) => s.name)).toEqual(['003_slow.js']);
      const started = Date.now();
      const running = service.dispatch('migrations:execute', { profileId: 'cli', plan, runId: 'slow' });
      await expect.poll(() => events.some((e) => e.type === 'migrations:progressed' && e.runId === 'slow' && e.event.type === 'started'), { timeout: 10_000 }).toBe(true);
      expect(await service.dispatch('migrations:cancel', { runId: 'slow' })).toEqual({ ok: true, value: { cancelling: true } });
      const run = await ok<RunResult>(running);
      expect(run.outcome).toBe('cancelled');
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(await query(db.url, `select count(*)::int as n from knex_migrations where name = '003_slow.js'`)).toEqual([{ n: 0 }]);
    } finally {
      await rm(join(dir, 'migrations', '003_slow.js'));
    }
  });

  it('refuses to roll back a production profile without the database name, touching nothing', async () => {
    const prodEvents: AppEvent[] = [];
    const prod = createService({
      dataDir: join(dir, 'data'),
      mode: 'web',
      version: 'test',
      demoMigrationsDir: join(process.cwd(), 'migrations'),
      emit: (event) => prodEvents.push(event),
      engine: createRealEngine(),
      initialProfile: { profile: profile('prod', 'production') },
    });
    const plan = await ok<Plan>(prod.dispatch('migrations:plan', { profileId: 'prod', request: { kind: 'rollback', mode: 'last-batch' } }));
    expect(plan.steps).toHaveLength(2);
    const refused = await prod.dispatch('migrations:execute', { profileId: 'prod', plan, runId: 'p1', confirmation: 'not-the-name' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFIRMATION_REQUIRED', hint: `Type ${db.name} exactly to confirm.` } });
    expect(await query(db.url, 'select count(*)::int as n from knex_migrations')).toEqual([{ n: 2 }]);

    const confirmed = await ok<RunResult>(prod.dispatch('migrations:execute', { profileId: 'prod', plan, runId: 'p2', confirmation: db.name }));
    expect(confirmed.outcome).toBe('succeeded');
    expect(confirmed.backupId).not.toBeNull();
    expect(await query(db.url, 'select count(*)::int as n from knex_migrations')).toEqual([{ n: 0 }]);
    const backups = await ok<Array<{ id: string; operation: string; head: string | null }>>(prod.dispatch('backups:list', { profileId: 'prod' }));
    expect(backups.map((b) => ({ id: b.id, operation: b.operation, head: b.head }))).toEqual([{ id: confirmed.backupId, operation: 'rollback', head: '002_add_name.js' }]);
    const again = await ok<Plan>(prod.dispatch('migrations:plan', { profileId: 'prod', request: { kind: 'upgrade' } }));
    expect((await ok<RunResult>(prod.dispatch('migrations:execute', { profileId: 'prod', plan: again, runId: 'p3', confirmation: db.name }))).outcome).toBe('succeeded');

    // Restoring over a production database needs the name too; into a new database it does not.
    expect(await prod.dispatch('backups:restore', { profileId: 'prod', backupId: confirmed.backupId! })).toMatchObject({ ok: false, error: { code: 'CONFIRMATION_REQUIRED' } });
    const restored = await ok<{ database: string; head: string | null; durationMs: number }>(
      prod.dispatch('backups:restore', { profileId: 'prod', backupId: confirmed.backupId!, confirmation: db.name, runId: 'restore-1' }),
    );
    expect(restored).toMatchObject({ database: db.name, head: '002_add_name.js' });
    expect(prodEvents.some((e) => e.type === 'backups:progressed' && e.runId === 'restore-1')).toBe(true);
    const history = await ok<Array<{ operation: string }>>(prod.dispatch('history:list', { profileId: 'prod', operation: 'restore' }));
    expect(history).toHaveLength(1);

    // "Restore into a new database" follows the engine's rules: never over a database that holds something, never a URL-like name.
    const occupied = await createTestDatabase('service_occupied');
    try {
      await query(occupied.url, 'create table keep_me (id int)');
      const refused = await prod.dispatch('backups:restore', { profileId: 'prod', backupId: confirmed.backupId!, intoDatabase: occupied.name });
      expect(refused).toMatchObject({ ok: false, error: { code: 'DATABASE_NOT_EMPTY' } });
      expect((refused as { error: { message: string } }).error.message).toContain('public.keep_me');
      expect(await query(occupied.url, "select count(*)::int as n from pg_tables where schemaname = 'public'")).toEqual([{ n: 1 }]);
      const badName = await prod.dispatch('backups:restore', { profileId: 'prod', backupId: confirmed.backupId!, intoDatabase: 'a/b' });
      expect(badName).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    } finally {
      await occupied.drop();
    }
  });

  it('saves a profile without its password, connects with the session copy, deletes it', async () => {
    const url = new URL(db.url);
    url.password = 'unused-secret';
    const saved = await service.dispatch('profiles:save', {
      profile: { id: 'saved', name: 'Saved', environment: 'development', url: url.toString(), migrations: { directories: [join(dir, 'migrations')] } },
    });
    expect(saved).toMatchObject({ ok: true, value: { id: 'saved', hasPassword: true, passwordSource: 'prompt', builtIn: false } });
    const file = await readFile(join(dir, 'data', 'profiles.json'), 'utf8');
    expect(file).toContain('"saved"');
    expect(file).not.toContain('unused-secret');
    expect(await ok<MigrationStatus>(service.dispatch('migrations:status', { profileId: 'saved' }))).toMatchObject({ database: db.name });
    const listed = await ok<Array<{ id: string }>>(service.dispatch('profiles:list', {}));
    expect(listed.map((p) => p.id)).toEqual(['demo', 'cli', 'saved']);
    expect(await service.dispatch('profiles:delete', { profileId: 'saved' })).toEqual({ ok: true, value: { deleted: true } });
    expect(await service.dispatch('migrations:status', { profileId: 'saved' })).toMatchObject({ ok: false, error: { code: 'PROFILE_NOT_FOUND' } });
  });

  it('dry-runs a plan, renders its SQL and reports drift, changing nothing', async () => {
    const plan = await ok<Plan>(service.dispatch('migrations:plan', { profileId: 'cli', request: { kind: 'rollback', mode: 'last-batch' } }));
    const dry = await ok<{ ok: boolean; migrations: Array<{ name: string; statements: Array<{ sql: string }> }> }>(service.dispatch('migrations:dry-run', { profileId: 'cli', plan }));
    expect(dry.ok).toBe(true);
    expect(dry.migrations.map((m) => m.name)).toEqual(plan.steps.map((s) => s.name));
    expect(dry.migrations.flatMap((m) => m.statements.map((st) => st.sql)).join('\n')).toMatch(/drop table/i);
    const { script } = await ok<{ script: string }>(service.dispatch('migrations:sql', { profileId: 'cli', plan }));
    expect(script).toMatch(/drop table/i);
    expect(await query(db.url, 'select count(*)::int as n from knex_migrations')).toEqual([{ n: 2 }]);
    expect(await ok<{ drifted: boolean }>(service.dispatch('schema:drift', { profileId: 'cli' }))).toMatchObject({ drifted: false });
    await query(db.url, 'create table made_by_hand (id int)');
    try {
      expect(await ok<{ drifted: boolean }>(service.dispatch('schema:drift', { profileId: 'cli' }))).toMatchObject({ drifted: true });
    } finally {
      await query(db.url, 'drop table made_by_hand');
    }
  });

  it('answers connection failures as typed errors, not throws', async () => {
    const answer = await service.dispatch('profiles:test', {
      profile: { id: 'x', name: 'x', environment: 'local', url: 'postgres://postgres@127.0.0.1:1/none', migrations: { directories: [dir] } },
    });
    expect(answer.ok).toBe(false);
    expect(!answer.ok && answer.error.code).toBe('CONNECTION_REFUSED');
  });

  it('opens the embedded demo with no server configured', async () => {
    const status = await ok<MigrationStatus>(service.dispatch('migrations:status', { profileId: 'demo' }));
    expect(status.applied).toEqual([]);
    expect(status.pending.length).toBeGreaterThanOrEqual(10);
    expect(status.pending[0].name).toBe('20250303091512_create_users.ts');
  });
});
