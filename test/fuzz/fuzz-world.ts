// What the contract fuzz runs against: the service on the real engine and a real database with
// something to lose (two migrations applied, a backup, a saved profile, a project folder), valid
// requests for every channel to break, and a snapshot of the database and files to compare after.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { contract, type Channel, type Plan, type Profile, type Result } from '../../src/shared/contract';
import { createService, type Service } from '../../src/service/create-service';
import { createRealEngine } from '../../src/service/real-engine';
import { createTestDatabase, query, type TestDatabase } from '../database';
import { tableMigration } from '../targets';

export const PROFILE_ID = 'fuzz';
export const SAVED_PROFILE_ID = 'fuzz-saved';
const MIGRATIONS = ['20250101000000_alpha.js', '20250102000000_beta.js', '20250103000000_gamma.js'];

export interface FuzzWorld {
  service: Service;
  db: TestDatabase;
  dataDir: string;
  migrationsDir: string;
  projectDir: string;
  /** A valid request per channel (mutated into malformed ones). */
  validRequest(channel: Channel): unknown;
  /** Errors the service reported as unexpected (INTERNAL): each is a bug. */
  internalErrors: string[];
  close(): Promise<void>;
}

async function ok<T>(answer: Promise<Result<unknown>>): Promise<T> {
  const result = await answer;
  if (!result.ok) throw new Error(`fuzz set-up failed: ${JSON.stringify(result.error)}`);
  return result.value as T;
}

export async function createFuzzWorld(label: string): Promise<FuzzWorld> {
  const db = await createTestDatabase(label);
  const dir = await mkdtemp(join(tmpdir(), `stepstone-${label}-`));
  const dataDir = join(dir, 'data');
  const migrationsDir = join(dir, 'migrations');
  const projectDir = join(dir, 'project');
  await mkdir(dataDir);
  await mkdir(migrationsDir);
  await mkdir(projectDir);
  for (const [i, name] of MIGRATIONS.entries()) await writeFile(join(migrationsDir, name), tableMigration(`fuzz_t${i}`));
  await writeFile(join(projectDir, 'knexfile.js'), `module.exports = { client: 'pg', connection: ${JSON.stringify(db.url)}, migrations: { directory: ${JSON.stringify(migrationsDir)} } };\n`);

  const profile = (id: string): Profile => ({
    id,
    name: id,
    environment: 'development',
    kind: 'postgres',
    url: db.url,
    passwordSource: 'none',
    migrations: { directories: [migrationsDir], tableName: 'knex_migrations' },
    transactionMode: 'knex',
    backupBeforeMigrate: false,
    readOnly: false,
  });
  const internalErrors: string[] = [];
  const service = createService({
    dataDir,
    mode: 'web',
    version: 'fuzz',
    demoMigrationsDir: migrationsDir,
    emit: () => undefined,
    engine: createRealEngine(),
    initialProfile: { profile: profile(PROFILE_ID) },
    logError: (message, error) => internalErrors.push(`${message} ${(error as Error)?.stack ?? String(error)}`),
  });

  // Something to lose: two of three migrations applied, a backup, a saved profile.
  const upTo = await ok<Plan>(service.dispatch('migrations:plan', { profileId: PROFILE_ID, request: { kind: 'upgrade', to: MIGRATIONS[1] } }));
  await ok(service.dispatch('migrations:execute', { profileId: PROFILE_ID, plan: upTo, runId: 'fuzz-setup' }));
  const backup = await ok<{ id: string }>(service.dispatch('backups:create', { profileId: PROFILE_ID, method: 'builtin' }));
  await ok(service.dispatch('profiles:save', { profile: profile(SAVED_PROFILE_ID) }));
  const plan = await ok<Plan>(service.dispatch('migrations:plan', { profileId: PROFILE_ID, request: { kind: 'upgrade' } }));
  const rollbackPlan = await ok<Plan>(service.dispatch('migrations:plan', { profileId: PROFILE_ID, request: { kind: 'rollback', mode: 'last-batch' } }));

  const p = PROFILE_ID;
  const valid: Partial<Record<Channel, unknown>> = {
    'app:info': {},
    'profiles:list': {},
    'profiles:save': { profile: profile(SAVED_PROFILE_ID), password: 'secret' },
    'profiles:delete': { profileId: SAVED_PROFILE_ID },
    'profiles:test': { profile: profile('fuzz-unsaved'), password: 'secret' },
    'profiles:provide-password': { profileId: p, password: 'secret' },
    'projects:open': { folder: projectDir },
    'migrations:status': { profileId: p },
    'migrations:plan': { profileId: p, request: { kind: 'rollback', mode: 'steps', steps: 1 } },
    'migrations:execute': { profileId: p, plan, runId: 'fuzz-run', confirmation: db.name, skipBackup: true },
    'migrations:cancel': { runId: 'fuzz-run' },
    'migrations:source': { profileId: p, name: MIGRATIONS[0] },
    'migrations:create': { profileId: p, name: 'add_fuzz', language: 'js' },
    'migrations:dry-run': { profileId: p, plan: rollbackPlan },
    'migrations:sql': { profileId: p, plan },
    'migrations:open-in-editor': { profileId: p, name: MIGRATIONS[0] },
    'migrations:watch': { profileId: p },
    'history:list': { profileId: p, operation: 'upgrade', outcome: 'succeeded', limit: 5 },
    'history:evidence': { profileId: p, historyId: 1 },
    'migrations:evidence': { profileId: p, name: MIGRATIONS[0] },
    'lock:release': { profileId: p, force: true },
    'backups:list': { profileId: p },
    'backups:create': { profileId: p, method: 'builtin', runId: 'fuzz-backup' },
    'backups:restore': { profileId: p, backupId: backup.id, intoDatabase: `${db.name}_fuzz`.slice(0, 63), confirmation: db.name, runId: 'fuzz-restore' },
    'backups:verify': { profileId: p, backupId: backup.id },
    'backups:delete': { profileId: p, backupId: backup.id },
    'schema:drift': { profileId: p },
  };
  for (const [channel, request] of Object.entries(valid)) {
    const parsed = contract[channel as Channel].request.safeParse(request);
    if (!parsed.success) throw new Error(`fuzz base for ${channel} is not valid: ${parsed.error.message}`);
  }

  return {
    service,
    db,
    dataDir,
    migrationsDir,
    projectDir,
    // Channels added later still get fuzzed: from a profile id, the schema decides what is malformed.
    validRequest: (channel) => valid[channel] ?? { profileId: p },
    internalErrors,
    async close() {
      await service.shutdown();
      await db.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Everything a request could have changed: files (content and mode), the database's tables, ledger, lock and logs. */
export interface WorldSnapshot {
  files: Record<string, string>;
  database: Record<string, unknown>;
  prototype: string[];
}

async function fileDigests(root: string, into: Record<string, string>, base: string): Promise<void> {
  for (const entry of await readdir(root, { withFileTypes: true })) {
    const path = join(root, entry.name);
    if (entry.isDirectory()) await fileDigests(path, into, base);
    else {
      const [content, info] = await Promise.all([readFile(path), stat(path)]);
      into[relative(base, path)] = `${createHash('sha256').update(content).digest('hex')} ${(info.mode & 0o777).toString(8)}`;
    }
  }
}

export async function snapshotWorld(world: FuzzWorld): Promise<WorldSnapshot> {
  const files: Record<string, string> = {};
  for (const root of [world.dataDir, world.migrationsDir, world.projectDir]) await fileDigests(root, files, join(root, '..'));
  const url = world.db.url;
  const database = {
    tables: await query(url, "select table_schema || '.' || table_name as t from information_schema.tables where table_schema not in ('pg_catalog', 'information_schema') order by 1"),
    ledger: await query(url, 'select id, name, batch from knex_migrations order by id'),
    lock: await query(url, 'select is_locked from knex_migrations_lock'),
    history: await query(url, 'select id, operation, outcome from stepstone_history order by id'),
    applied: await query(url, 'select count(*)::int as n from stepstone_migrations'),
    snapshots: await query(url, 'select count(*)::int as n from stepstone_schema_snapshots'),
    databasesLikeOurs: await query(url, 'select datname from pg_database where datname like $1 order by 1', [`${world.db.name}%`]),
  };
  return { files, database, prototype: Object.getOwnPropertyNames(Object.prototype).sort() };
}
