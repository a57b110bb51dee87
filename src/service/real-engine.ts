/**
 * The engine port backed by the real engine modules: the one place that knows their exact
 * signatures.
 */
import { databaseNameOf } from '../engine/connection/connection-target';
import { testConnection } from '../engine/connection/test-connection';
import { openDatabase, type Db } from '../engine/database/open-database';
import { openReadSession, type ReadSession } from '../engine/database/read-session';
import { listMigrationFiles } from '../engine/migrations/list-migration-files';
import { getStatus } from '../engine/status/get-status';
import { makePlan } from '../engine/plan/make-plan';
import { executePlan } from '../engine/run/execute-plan';
import { listHistory } from '../engine/history/history-log';
import { readAppliedEvidence, readRunEvidence } from '../engine/evidence/read-evidence';
import { releaseLock } from '../engine/lock/release-lock';
import { createMigration } from '../engine/project/create-migration';
import { readMigrationSource } from '../engine/migrations/read-migration-source';
import { watchMigrationFolders } from '../engine/migrations/watch-migration-folders';
import { openProject } from '../engine/project/open-project';
import { deleteProfile, getProfile, listProfiles, saveProfile } from '../engine/profiles/profile-store';
import { embeddedDemoProfile } from '../engine/profiles/embedded-demo-profile';
import { resolveTarget } from '../engine/profiles/resolve-target';
import { deleteBackup, listBackups, verifyBackup } from '../engine/backup/index';
import { backupBeforeRun } from '../engine/operations/backup-before-run';
import { backupNow, restoreWithHistory } from '../engine/operations/backup-operations';
import { readBackupSettings } from '../engine/settings/backup-settings';
import { dryRunPlan } from '../engine/dry-run/dry-run-plan';
import { renderPlanSql } from '../engine/dry-run/render-plan-sql';
import { detectDrift } from '../engine/drift/detect-drift';
import type { DbHandle, EnginePort } from './engine-port';
import type { ErrorInfo } from '../shared/contract';
import type { ConnectionTarget } from '../engine/connection/connection-target';

function side(named: { label: string; target: ConnectionTarget | ErrorInfo }) {
  return 'profile' in named.target ? { label: named.label, target: named.target } : { label: named.label, unavailable: named.target };
}

/** The real engine, as the service's port. */
export function createRealEngine(env: NodeJS.ProcessEnv = process.env): EnginePort {
  const db = (handle: DbHandle) => handle as Db;
  return {
    testConnection: (target, options) => testConnection(target, options),
    resolveTarget: (profile, passwords) => resolveTarget(profile, passwords, env),
    databaseNameOf,
    listProfiles,
    getProfile,
    saveProfile,
    deleteProfile,
    embeddedDemoProfile,
    openProject: async (folder) => (await openProject(folder)).profiles,

    openDatabase: (target, options) => openDatabase(target, options),
    openReadSession: (target, options) => openReadSession(target, options),
    // A read session or a full one: both read status.
    getStatus: (handle) => getStatus(handle as ReadSession),
    listMigrationFiles: async (settings) => (await listMigrationFiles(settings)).map((f) => f.name),
    makePlan: (handle, request) => makePlan(db(handle), request),
    executePlan: (handle, plan, options) => executePlan(db(handle), plan, options),
    listHistory: (handle, filter) => listHistory(db(handle), filter),
    runEvidence: (handle, historyId) => readRunEvidence(db(handle), historyId),
    appliedEvidence: (handle, name) => readAppliedEvidence(db(handle), name),
    releaseLock: (handle, options) => releaseLock(db(handle), options),
    createMigration: (settings, name, options) => createMigration(settings, name, options),
    watchMigrations: (settings, onChange) => watchMigrationFolders(settings, onChange),
    readMigrationSource: async (settings, name) => {
      const { path, source, language } = await readMigrationSource(settings, name);
      return { name, path, source, language };
    },

    // Backup settings (folder, retention, pg_dump) come from <dataDir>/settings.json and the environment, read per call.
    listBackups: async ({ dataDir, profile, target }) => {
      const { backupsDir } = await readBackupSettings(dataDir);
      return listBackups({ dataDir, backupsDir, profileId: profile.id, database: databaseNameOf(target) });
    },
    takeBackup: async ({ dataDir, profile, target, onProgress }, { method }) => {
      const { pgTools, ...settings } = await readBackupSettings(dataDir);
      return backupNow(target, { dataDir, ...settings, ...pgTools, method, profileId: profile.id, onLog: onProgress });
    },
    backupBeforeRun: ({ dataDir, target, onProgress }, { skip }) => {
      // Decided (and a skip on production refused) now; the settings are read when the backup runs.
      if (!backupBeforeRun(target, { dataDir, skip })) return undefined;
      return async (plan) => backupBeforeRun(target, { dataDir, skip, onLog: onProgress, ...(await readBackupSettings(dataDir)) })!(plan);
    },
    restoreBackup: async ({ dataDir, target, onProgress }, backupId, { intoDatabase }) => {
      const { backupsDir, pgTools } = await readBackupSettings(dataDir);
      const restored = await restoreWithHistory(target, backupId, { dataDir, backupsDir, ...pgTools, intoDatabase, onLog: onProgress });
      return { database: restored.database, head: restored.head, durationMs: restored.durationMs };
    },
    verifyBackup: async ({ dataDir, target, onProgress }, backupId) => {
      const { backupsDir, pgTools } = await readBackupSettings(dataDir);
      return verifyBackup(target, backupId, { dataDir, backupsDir, ...pgTools, onLog: onProgress });
    },
    deleteBackup: async ({ dataDir }, backupId) => {
      const { backupsDir } = await readBackupSettings(dataDir);
      await deleteBackup(backupId, { dataDir, backupsDir });
      return true;
    },

    dryRun: (handle, plan) => dryRunPlan(db(handle), plan),
    planSql: async (handle, plan) => {
      const session = db(handle);
      const result = await dryRunPlan(session, plan);
      return renderPlanSql(result, {
        database: databaseNameOf(session.target),
        head: plan.headBefore,
        plan,
        ledger: { tableName: session.settings.tableName, schemaName: session.settings.schemaName },
      });
    },
    detectDrift: (handle) => detectDrift(db(handle)),

    // Loaded on first use: the parser's WASM and the shadow module are not needed to start.
    lint: async (handle, plan) => {
      const { lintPlan } = await import('../engine/lint/lint-plan');
      const session = db(handle);
      return lintPlan(session, plan ?? (await makePlan(session, { kind: 'upgrade' }, { promotion: false })));
    },
    verifyRollbacks: async (target, dataDir) => {
      const { verifyRollbacks } = await import('../engine/verify/verify-rollbacks');
      const { recordRollbackChecks } = await import('../engine/verify/rollback-check-store');
      const report = await verifyRollbacks(target);
      await recordRollbackChecks(dataDir, target.profile.migrations, report);
      return report;
    },
    readRollbackChecks: async (dataDir, settings) => (await import('../engine/verify/rollback-check-store')).readRollbackChecks(dataDir, settings),
    compareEnvironments: async (left, right) => (await import('../engine/compare/compare-environments')).compareEnvironments(side(left), side(right)),

    // Loaded on first use, like lint: baseline and generate build shadow databases.
    adoptionState: async (handle) => (await import('../engine/adopt/adoption-state')).readAdoptionState(db(handle)),
    baseline: async (handle, { name, force, preview }) => (await import('../engine/adopt/baseline')).baselineDatabase(db(handle), { name, force, preview }),
    previewMigration: async (handle, request) => {
      const session = db(handle);
      return (await import('../engine/generate/generate-migration')).generateMigration({ db: session, settings: session.settings }, { ...request, preview: true });
    },
    writePreviewedMigration: async (preview) => (await import('../engine/generate/generate-migration')).writePreviewedMigration(preview),
  };
}
