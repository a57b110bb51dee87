/**
 * The engine port backed by the real engine modules: the one place that knows their exact
 * signatures. Parts still being written answer INTERNAL "not available yet".
 */
import { join } from 'node:path';
import type { Profile } from '../shared/contract';
import { StepstoneError } from '../engine/errors';
import { databaseNameOf, type ConnectionTarget } from '../engine/connection/connection-target';
import { testConnection } from '../engine/connection/test-connection';
import { openDatabase, type Db } from '../engine/database/open-database';
import { getStatus } from '../engine/status/get-status';
import { makePlan } from '../engine/plan/make-plan';
import { executePlan } from '../engine/run/execute-plan';
import { listHistory } from '../engine/history/history-log';
import { releaseLock } from '../engine/lock/release-lock';
import { createMigration } from '../engine/project/create-migration';
import { readMigrationSource } from '../engine/migrations/read-migration-source';
import { openProject } from '../engine/project/open-project';
import { resolveKnexfileTarget } from '../engine/project/knexfile-target';
import type { DbHandle, EnginePort, PasswordLookup } from './engine-port';

function notAvailable(what: string): never {
  throw new StepstoneError('INTERNAL', `${what}: not available yet.`);
}

/** Password lookup order: session/keychain, then the named environment variable, then the knexfile. */
async function resolveTarget(profile: Profile, passwords: PasswordLookup, env: NodeJS.ProcessEnv): Promise<ConnectionTarget> {
  if (profile.kind === 'embedded') return { profile };
  const stored = await passwords.get(profile.id);
  if (profile.source && (profile.passwordSource as string) === 'knexfile') {
    const target = await resolveKnexfileTarget(profile);
    return stored !== undefined && target.password === undefined ? { ...target, password: stored } : target;
  }
  if (stored !== undefined) return { profile, password: stored };
  if (profile.passwordSource === 'env' && profile.passwordEnv) {
    const value = env[profile.passwordEnv];
    if (value === undefined) {
      throw new StepstoneError('PASSWORD_REQUIRED', `The password of "${profile.name}" comes from $${profile.passwordEnv}, which is not set.`, {
        hint: `Set ${profile.passwordEnv} in the environment that starts Stepstone, or type the password.`,
      });
    }
    return { profile, password: value };
  }
  if (profile.passwordSource === 'prompt' || profile.passwordSource === 'keychain') {
    throw new StepstoneError('PASSWORD_REQUIRED', `"${profile.name}" needs its password.`, { hint: 'Type the password to connect.' });
  }
  return { profile };
}

/** The real engine, as the service's port. */
export function createRealEngine(env: NodeJS.ProcessEnv = process.env): EnginePort {
  const db = (handle: DbHandle) => handle as Db;
  return {
    testConnection: (target, options) => testConnection(target, options),
    resolveTarget: (profile, passwords) => resolveTarget(profile, passwords, env),
    databaseNameOf,
    listProfiles: async () => notAvailable('The profile store'),
    getProfile: async () => notAvailable('The profile store'),
    saveProfile: async () => notAvailable('The profile store'),
    deleteProfile: async () => notAvailable('The profile store'),
    embeddedDemoProfile: (dataDir, migrationsDir) => ({
      id: 'demo',
      name: 'Demo (embedded)',
      environment: 'local',
      kind: 'embedded',
      database: join(dataDir, 'demo-database'),
      passwordSource: 'none',
      migrations: { directories: [migrationsDir], tableName: 'knex_migrations' },
      transactionMode: 'knex',
      backupBeforeMigrate: false,
      readOnly: false,
    }),
    openProject: async (folder) => (await openProject(folder)).profiles,
    openDatabase: (target, options) => openDatabase(target, options),
    getStatus: (handle) => getStatus(db(handle)),
    makePlan: (handle, request) => makePlan(db(handle), request),
    executePlan: (handle, plan, options) =>
      executePlan(db(handle), plan, {
        onProgress: options.onProgress,
        signal: options.signal,
        beforeRun: options.beforeRun,
      }),
    listHistory: (handle, filter) => listHistory(db(handle), filter),
    releaseLock: (handle, options) => releaseLock(db(handle), options),
    createMigration: (settings, name, options) => createMigration(settings, name, options),
    readMigrationSource: async (settings, name) => {
      const { path, source, language } = await readMigrationSource(settings, name);
      return { name, path, source, language };
    },
    listBackups: async () => notAvailable('Backups'),
    takeBackup: async () => notAvailable('Backups'),
    restoreBackup: async () => notAvailable('Backups'),
    verifyBackup: async () => notAvailable('Backups'),
    deleteBackup: async () => notAvailable('Backups'),
    dryRun: async () => notAvailable('Dry run'),
    planSql: async () => notAvailable('The SQL script of a plan'),
    detectDrift: async () => notAvailable('Drift detection'),
  };
}
