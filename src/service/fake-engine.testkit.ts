/**
 * An in-memory engine for service and transport tests: profiles in a Map, a ledger of names,
 * plans and runs that emit progress and honour the abort signal. Every method can be overridden.
 */
import type { MigrationStatus, Plan, Profile, RunResult } from '../shared/contract';
import { StepstoneError } from '../engine/errors';
import type { ConnectionTarget } from '../engine/connection/connection-target';
import type { DbHandle, EnginePort } from './engine-port';

export interface FakeEngineState {
  profiles: Map<string, Profile>;
  files: string[];
  applied: string[];
  opened: number;
  /** How many of `opened` were read sessions (openReadSession). */
  readOpened: number;
  closed: number;
  /** Targets handed to openDatabase/testConnection, to check which password arrived. */
  targets: ConnectionTarget[];
  /** Resolves a run's pause between migrations (tests cancel while paused). */
  gate?: Promise<void>;
}

/** A demo-like profile for tests. */
export function fakeProfile(id: string, overrides: Partial<Profile> = {}): Profile {
  return {
    id,
    name: `Profile ${id}`,
    environment: 'development',
    kind: 'postgres',
    url: `postgres://postgres@127.0.0.1:5432/${id}`,
    passwordSource: 'none',
    migrations: { directories: ['/tmp/migrations'], tableName: 'knex_migrations' },
    transactionMode: 'knex',
    backupBeforeMigrate: false,
    readOnly: false,
    ...overrides,
  };
}

function notInFake(name: string): never {
  throw new StepstoneError('INTERNAL', `The fake engine has no ${name}.`);
}

/** A fake engine plus its state, for assertions. */
export function createFakeEngine(overrides: Partial<EnginePort> = {}): { engine: EnginePort; state: FakeEngineState } {
  const state: FakeEngineState = { profiles: new Map(), files: ['001_a.ts', '002_b.ts', '003_c.ts'], applied: [], opened: 0, readOpened: 0, closed: 0, targets: [] };
  const db: DbHandle = {
    async close() {
      state.closed += 1;
    },
  };

  function status(): MigrationStatus {
    return {
      applied: state.applied.map((name, i) => ({ id: i + 1, name, batch: 1, appliedAt: new Date(0).toISOString(), recordedChecksum: null, durationMs: null, appliedBy: null, missing: false, edited: false })),
      pending: state.files.filter((f) => !state.applied.includes(f)).map((name) => ({ name, path: `/tmp/migrations/${name}`, outOfOrder: false })),
      missing: [],
      edited: [],
      outOfOrder: [],
      unchecked: [],
      lock: { locked: false, state: 'free', holders: [] },
      head: state.applied.at(-1) ?? null,
      lastBatch: state.applied.length ? 1 : 0,
      ledgerExists: true,
      serverVersion: '15.0',
      database: 'fake',
    };
  }

  const engine: EnginePort = {
    async testConnection(target) {
      state.targets.push(target);
      return { serverVersion: '15.0', database: 'fake', user: 'postgres', latencyMs: 1 };
    },
    async resolveTarget(profile, passwords) {
      return { profile, password: passwords.session(profile.id) ?? (await passwords.keychain?.(profile.id)) };
    },
    databaseNameOf: (target) => target.profile.database ?? new URL(target.profile.url ?? 'postgres://x/fake').pathname.slice(1),
    async listProfiles() {
      return [...state.profiles.values()];
    },
    async getProfile(_dataDir, id) {
      return state.profiles.get(id);
    },
    async saveProfile(_dataDir, profile) {
      state.profiles.set(profile.id, profile);
      return profile;
    },
    async deleteProfile(_dataDir, id) {
      return state.profiles.delete(id);
    },
    embeddedDemoProfile: (dataDir, migrationsDir) =>
      fakeProfile('demo', { name: 'Demo', environment: 'local', kind: 'embedded', url: undefined, database: `${dataDir}/demo`, migrations: { directories: [migrationsDir], tableName: 'knex_migrations' } }),
    async openProject(folder) {
      return [fakeProfile(`project-dev`, { source: { knexfile: `${folder}/knexfile.ts`, env: 'development' } })];
    },
    async openDatabase(target) {
      state.targets.push(target);
      state.opened += 1;
      return db;
    },
    async openReadSession(target) {
      state.targets.push(target);
      state.opened += 1;
      state.readOpened += 1;
      return db;
    },
    getStatus: async () => status(),
    listMigrationFiles: async () => [...state.files],
    async makePlan(_db, request): Promise<Plan> {
      const pending = status().pending.map((p) => p.name);
      const up = request.kind === 'upgrade';
      const names = up ? pending : [...state.applied].reverse();
      return {
        request,
        direction: up ? 'up' : 'down',
        steps: names.map((name) => ({ name, direction: up ? 'up' : 'down', transactional: true, checksum: 'x', batch: up ? null : 1 })),
        batch: up ? 1 : null,
        transaction: 'single',
        headBefore: status().head,
        headAfter: up ? (pending.at(-1) ?? null) : null,
        appliedFingerprint: state.applied.join(','),
        warnings: [],
      };
    },
    async executePlan(_db, plan, { onProgress, signal, beforeRun }): Promise<RunResult> {
      const backup = beforeRun ? await beforeRun(plan) : undefined;
      const steps: RunResult['steps'] = [];
      for (const [index, step] of plan.steps.entries()) {
        if (signal.aborted) break;
        onProgress({ type: 'started', name: step.name, index, total: plan.steps.length, direction: step.direction });
        if (state.gate) await state.gate;
        if (signal.aborted) break;
        if (step.direction === 'up') state.applied.push(step.name);
        else state.applied = state.applied.filter((n) => n !== step.name);
        onProgress({ type: 'finished', name: step.name, index, durationMs: 1 });
        steps.push({ name: step.name, direction: step.direction, outcome: step.direction === 'up' ? 'applied' : 'reverted', durationMs: 1, error: null });
      }
      const cancelled = signal.aborted;
      return {
        plan,
        outcome: cancelled ? 'cancelled' : 'succeeded',
        steps,
        durationMs: 1,
        error: cancelled ? { code: 'CANCELLED', message: 'Cancelled.' } : null,
        headAfter: state.applied.at(-1) ?? null,
        stateAfter: cancelled ? 'Stopped.' : 'Done.',
        historyId: 1,
        backupId: backup?.backupId ?? null,
      };
    },
    listHistory: async () => [],
    runEvidence: async () => null,
    appliedEvidence: async () => null,
    releaseLock: async () => ({ locked: false, state: 'free', holders: [] }),
    createMigration: async (settings, name) => ({ name: `999_${name}.ts`, path: `${settings.directories[0]}/999_${name}.ts` }),
    watchMigrations: (settings) => ({ folders: settings.directories, close: () => {} }),
    readMigrationSource: async (settings, name) => ({ name, path: `${settings.directories[0]}/${name}`, source: '// source', language: 'typescript' }),
    listBackups: async () => [],
    takeBackup: async () => notInFake('takeBackup'),
    backupBeforeRun: ({ profile }, { skip }) => {
      if (profile.environment === 'production' && skip) throw new StepstoneError('BACKUP_REQUIRED', 'Production always backs up first.');
      const due = profile.environment === 'production' || (profile.backupBeforeMigrate && !skip);
      return due ? async () => ({ backupId: `backup-of-${profile.id}` }) : undefined;
    },
    restoreBackup: async () => ({ database: 'fake', head: null, durationMs: 1 }),
    verifyBackup: async () => notInFake('verifyBackup'),
    deleteBackup: async () => false,
    dryRun: async () => notInFake('dryRun'),
    planSql: async () => '-- sql',
    detectDrift: async () => ({ recordedAt: null, head: null, drifted: false, diff: { changes: [] } }),
    lint: async () => notInFake('lint'),
    verifyRollbacks: async () => notInFake('verifyRollbacks'),
    readRollbackChecks: async () => ({}),
    compareEnvironments: async () => notInFake('compareEnvironments'),
    adoptionState: async () => ({ tables: 0, applied: state.applied.length, adoptable: false }),
    baseline: async () => notInFake('baseline'),
    previewMigration: async () => notInFake('previewMigration'),
    writePreviewedMigration: async () => notInFake('writePreviewedMigration'),
    ...overrides,
  };
  return { engine, state };
}
