/**
 * An in-memory engine for service and transport tests: profiles in a Map, a ledger of names,
 * plans and runs that emit progress and honour the abort signal. It stands in for the engine's
 * input and output only: its rules (the backup decision, which name a production confirmation
 * matches, the demo profile) are the real engine's, so a test of a rule tests the real one.
 * Every method can be overridden.
 */
import type { MigrationStatus, Plan, Profile, RunResult } from '../shared/contract';
import { type ConnectionTarget, StepstoneError, createEngine, createEngineContext } from '../engine';
import type { DbHandle, EnginePort } from './engine-port';
import { errorInfo } from '../shared/errors';

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

/** A session of the fake: which target it was opened on. */
interface FakeSession extends DbHandle {
  target: ConnectionTarget;
}

/** A fake engine plus its state, for assertions. */
export function createFakeEngine(overrides: Partial<EnginePort> = {}): { engine: EnginePort; state: FakeEngineState } {
  const state: FakeEngineState = { profiles: new Map(), files: ['001_a.ts', '002_b.ts', '003_c.ts'], applied: [], opened: 0, readOpened: 0, closed: 0, targets: [] };
  // The real engine's pure rules; nothing of it touches a file or a database here.
  const real = createEngine(createEngineContext({ env: {} }));

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
    decideBackup: real.decideBackup,
    planRequest: real.planRequest,
    databaseNameOf: real.databaseNameOf,
    confirmationFor: real.confirmationFor,
    requireConfirmation: real.requireConfirmation,
    parseDatabaseUrl: real.parseDatabaseUrl,
    endpointOf: real.endpointOf,
    redactUrl: real.redactUrl,
    ledgerNameProblem: real.ledgerNameProblem,
    embeddedDemoProfile: real.embeddedDemoProfile,

    async testConnection(target) {
      state.targets.push(target);
      return { serverVersion: '15.0', database: 'fake', user: 'postgres', latencyMs: 1 };
    },
    async resolveTarget(profile, passwords) {
      return { profile, password: passwords.session?.(profile.id) ?? (await passwords.keychain?.(profile.id)) };
    },
    async listProfiles() {
      return [...state.profiles.values()];
    },
    async getProfile(_dataDir, id) {
      return state.profiles.get(id);
    },
    async saveProfile(_dataDir, profile) {
      state.profiles.set(profile.id, profile as Profile);
      return profile as Profile;
    },
    async deleteProfile(_dataDir, id) {
      return state.profiles.delete(id);
    },
    findKnexfileUpward: async () => undefined,
    async openProject(folder) {
      const knexfile = `${folder}/knexfile.ts`;
      return {
        knexfile,
        shape: 'environments',
        profiles: [fakeProfile('project-dev', { source: { knexfile, env: 'development' } })],
        warnings: ['staging is skipped: it uses client "mysql2".'],
      };
    },
    async openDatabase(target) {
      state.targets.push(target);
      state.opened += 1;
      const session: FakeSession = {
        target,
        async close() {
          state.closed += 1;
        },
      };
      return session;
    },
    async openReadSession(target, options) {
      const session = await engine.openDatabase(target, options);
      state.readOpened += 1;
      return session;
    },
    getStatus: async () => status(),
    listMigrationFiles: async () => [...state.files],
    readLockState: async () => status().lock,
    async makePlan(db, request): Promise<Plan> {
      const pending = status().pending.map((p) => p.name);
      const up = request.kind === 'upgrade';
      const names = up ? pending : [...state.applied].reverse();
      return {
        ...(request.kind === 'upgrade' ? { request, direction: 'up', batch: 1 } : { request, direction: 'down', batch: null }),
        steps: names.map((name) => ({ name, direction: up ? 'up' : 'down', transactional: true, checksum: 'x', batch: up ? null : 1 })),
        transaction: 'single',
        backup: real.decideBackup((db as FakeSession).target.profile, { skip: false }),
        confirmation: real.confirmationFor((db as FakeSession).target),
        headBefore: status().head,
        headAfter: up ? (pending.at(-1) ?? null) : null,
        appliedFingerprint: state.applied.join(','),
        warnings: [],
      };
    },
    async executePlan(db, plan, { onProgress, signal, backup }): Promise<RunResult> {
      const steps: RunResult['steps'] = [];
      for (const [index, step] of plan.steps.entries()) {
        if (signal?.aborted) break;
        onProgress?.({ type: 'started', name: step.name, index, total: plan.steps.length, direction: step.direction });
        if (state.gate) await state.gate;
        if (signal?.aborted) break;
        if (step.direction === 'up') state.applied.push(step.name);
        else state.applied = state.applied.filter((n) => n !== step.name);
        onProgress?.({ type: 'finished', name: step.name, index, durationMs: 1 });
        steps.push({ name: step.name, direction: step.direction, outcome: step.direction === 'up' ? 'applied' : 'reverted', durationMs: 1, error: null });
      }
      const cancelled = signal?.aborted ?? false;
      return {
        plan,
        ...(cancelled ? { outcome: 'cancelled', error: errorInfo('CANCELLED', 'Cancelled.') } : { outcome: 'succeeded', error: null }),
        steps,
        durationMs: 1,
        headAfter: state.applied.at(-1) ?? null,
        stateAfter: cancelled ? 'Stopped.' : 'Done.',
        historyId: 1,
        // The backup the decision asked for, as if taken.
        backupId: backup.take ? `backup-of-${(db as FakeSession).target.profile.id}` : null,
      };
    },
    listHistory: async () => [],
    releaseLock: async () => ({ locked: false, state: 'free', holders: [] }),
    listInterrupted: async () => [],
    repairInterrupted: async () => notInFake('repairInterrupted'),
    watchMigrations: (settings) => ({ folders: settings.directories, close: () => {} }),
    createMigration: async (settings, name) => ({ name: `999_${name}.ts`, path: `${settings.directories[0]}/999_${name}.ts` }),
    initProject: async () => notInFake('initProject'),
    readMigrationSource: async (settings, name) => ({ name, path: `${settings.directories[0]}/${name}`, source: '// source', language: 'typescript' }),
    listBackups: async () => [],
    leftovers: async () => ({ partialFiles: [], removedPartialFiles: 0, databases: [], droppedDatabases: [] }),
    takeBackup: async () => notInFake('takeBackup'),
    describeRestoreDestination: async () => notInFake('describeRestoreDestination'),
    restoreBackup: async () => ({ database: 'fake', head: null, durationMs: 1 }),
    verifyBackup: async () => notInFake('verifyBackup'),
    deleteBackup: async () => notInFake('deleteBackup'),
    dryRun: async () => notInFake('dryRun'),
    planSql: async () => notInFake('planSql'),
    detectDrift: async () => ({ recordedAt: null, head: null, drifted: false, diff: { changes: [] } }),
    lintPlan: async () => notInFake('lintPlan'),
    lintRules: async () => notInFake('lintRules'),
    compareEnvironments: async () => notInFake('compareEnvironments'),
    verifyRollbacks: async () => notInFake('verifyRollbacks'),
    recordRollbackChecks: async () => notInFake('recordRollbackChecks'),
    readRollbackChecks: async () => ({}),
    baselineDatabase: async () => notInFake('baselineDatabase'),
    stampMigrations: async () => notInFake('stampMigrations'),
    generateMigration: async () => notInFake('generateMigration'),
    writePreviewedMigration: async () => notInFake('writePreviewedMigration'),
    checkProject: async () => notInFake('checkProject'),
    runEvidence: async () => null,
    appliedEvidence: async () => null,
    adoptionState: async () => ({ tables: 0, applied: state.applied.length, adoptable: false }),
    previewMigration: async () => notInFake('previewMigration'),
    ...overrides,
  };
  return { engine, state };
}
