/**
 * An in-memory `Client` for store tests and screenshots: a handful of migrations, a ledger,
 * history and backups, with knobs to make a migration fail or a password be required.
 * Test double only; the real behaviour lives in src/engine and src/service.
 */
import type {
  AppEvent,
  AppliedMigration,
  Backup,
  Channel,
  Client,
  Confirmation,
  HistoryEntry,
  LintFinding,
  Plan,
  PlanStep,
  ProfileView,
  RequestOf,
  ResponseOf,
  Result,
  StepResult,
} from '../../shared/contract';
import { errorInfo } from '../../shared/errors';

export interface FakeOptions {
  migrations?: string[];
  appliedCount?: number;
  failOn?: string;
  passwordRequired?: boolean;
  mode?: 'desktop' | 'web';
  environment?: ProfileView['environment'];
  /** Resolve each invoke after this promise (lets a test hold a run open). */
  gate?: () => Promise<void>;
  startTime?: number;
  /** The dry run fails in this migration (its second statement). */
  dryRunFailOn?: string;
  /** Drift reports changes outside migrations. */
  drifted?: boolean;
  /** Lint findings to report for the migrations a lint covers. */
  lintFindings?: LintFinding[];
  /**
   * Canned: what plans and statuses of the 'prod' profile say a change asks (default: 'billing' typed while it is
   * production, a click otherwise); every other profile's ask a click. The fake decides nothing itself.
   */
  prodConfirmation?: Confirmation;
}

type Handler = (request: any) => unknown;

/** Build a fake client and its inspectable internals. */
export function createFakeClient(options: FakeOptions = {}) {
  const names = options.migrations ?? ['20250101000000_create_users.ts', '20250102000000_add_email.ts', '20250103000000_create_orders.ts', '20250104000000_add_index.ts'];
  let clock = options.startTime ?? Date.parse('2025-03-01T10:00:00Z');
  const tick = (ms = 1000) => new Date((clock += ms)).toISOString();
  const applied: AppliedMigration[] = names.slice(0, options.appliedCount ?? 0).map((name, i) => ({
    id: i + 1, name, batch: 1, appliedAt: tick(), recordedChecksum: 'c', durationMs: 12, appliedBy: 'ada', missing: false, edited: false,
  }));
  const history: HistoryEntry[] = [];
  const backups: Backup[] = [];
  const listeners = new Set<(e: AppEvent) => void>();
  const calls: { channel: Channel; request: unknown }[] = [];
  let passwordKnown = !options.passwordRequired;
  let nextHistoryId = 1;
  const profiles: ProfileView[] = [
    profile('demo', 'Demo', 'local', true),
    profile('prod', 'Billing', options.environment ?? 'production', false),
  ];
  const emit = (e: AppEvent) => listeners.forEach((l) => l(e));
  const err = (code: string, message: string, hint?: string) => ({ __error: { code, message, hint } });
  const head = () => applied.at(-1)?.name ?? null;
  const prodConfirmation: Confirmation = options.prodConfirmation ?? ((options.environment ?? 'production') === 'production' ? { kind: 'typed-name', name: 'billing' } : { kind: 'click' });
  const confirmationOf = (profileId: string): Confirmation => (profileId === 'prod' ? prodConfirmation : { kind: 'click' });
  const pending = () => names.filter((n) => !applied.some((a) => a.name === n));

  function planFor(request: any, profileId: string): Plan | ReturnType<typeof err> {
    let steps: PlanStep[];
    if (request.kind === 'upgrade') {
      const p = pending();
      const end = request.to ? p.indexOf(request.to) : p.length - 1;
      if (request.to && end < 0) return err('MIGRATION_NOT_FOUND', `No pending migration named ${request.to}.`);
      steps = p.slice(0, end + 1).map((name) => ({ name, direction: 'up', transactional: !name.includes('index'), checksum: 'c', batch: null }));
    } else {
      const last = applied.at(-1)?.batch ?? 0;
      let chosen: AppliedMigration[];
      if (request.mode === 'all') chosen = applied;
      else if (request.mode === 'steps') chosen = applied.slice(-request.steps);
      else if (request.mode === 'to') chosen = applied.slice(applied.findIndex((a) => a.name === request.to) + 1);
      else chosen = applied.filter((a) => a.batch === last);
      steps = [...chosen].reverse().map((a) => ({ name: a.name, direction: 'down', transactional: true, checksum: 'c', batch: a.batch }));
    }
    return {
      ...(request.kind === 'upgrade' ? { request, direction: 'up', batch: (applied.at(-1)?.batch ?? 0) + 1 } : { request, direction: 'down', batch: null }), steps,
      transaction: 'single', backup: { take: true, reason: 'This connection backs up before every upgrade and rollback.' }, confirmation: confirmationOf(profileId),
      headBefore: head(), headAfter: null, appliedFingerprint: applied.map((a) => a.name).join(','),
      warnings: steps.some((s) => !s.transactional) ? [`Not transactional (config.transaction = false): ${steps.filter((s) => !s.transactional).map((s) => s.name).join(', ')} — each migration commits on its own.`] : [],
    };
  }

  async function execute(request: RequestOf<'migrations:execute'>) {
    const plan = request.plan as Plan;
    // The canned ask, checked as the service checks the engine's (the fake's own rule would be a second one).
    const ask = confirmationOf(request.profileId);
    if (ask.kind === 'typed-name' && request.confirmation !== ask.name) return err('CONFIRMATION_REQUIRED', 'Type the database name to confirm.');
    const started = tick();
    // The plan's backup decision, followed as the engine would (the fake decides nothing itself).
    const backupId = plan.backup.take ? `b${backups.length + 1}` : null;
    if (backupId) backups.push(backupOf(backupId, plan.direction === 'up' ? 'upgrade' : 'rollback'));
    const results: StepResult[] = [];
    let failure: string | null = null;
    for (const [index, step] of plan.steps.entries()) {
      emit({ type: 'migrations:progressed', runId: request.runId, event: { type: 'started', name: step.name, index, total: plan.steps.length, direction: step.direction } });
      await options.gate?.();
      if (step.name === options.failOn) {
        failure = 'relation "users" does not exist';
        emit({ type: 'migrations:progressed', runId: request.runId, event: { type: 'failed', name: step.name, index, durationMs: 5, message: failure } });
        results.push({ name: step.name, direction: step.direction, outcome: 'failed', durationMs: 5, error: failure });
        break;
      }
      emit({ type: 'migrations:progressed', runId: request.runId, event: { type: 'finished', name: step.name, index, durationMs: 10 } });
      results.push({ name: step.name, direction: step.direction, outcome: step.direction === 'up' ? 'applied' : 'reverted', durationMs: 10, error: null });
    }
    if (failure) for (const r of results) if (r.outcome === 'applied') r.outcome = 'rolled-back';
    if (!failure) {
      for (const step of plan.steps) {
        if (step.direction === 'up') applied.push({ id: applied.length + 1, name: step.name, batch: plan.batch ?? 1, appliedAt: tick(), recordedChecksum: 'c', durationMs: 10, appliedBy: 'ada', missing: false, edited: false });
        else applied.splice(applied.findIndex((a) => a.name === step.name), 1);
      }
    }
    const error = failure ? errorInfo('MIGRATION_FAILED', failure, { migration: options.failOn }) : null;
    const stateAfter = failure ? 'Nothing applied — the database is as before.' : `Head is now ${head() ?? 'empty'}.`;
    history.unshift({
      id: nextHistoryId++, operation: plan.direction === 'up' ? 'upgrade' : 'rollback', outcome: failure ? 'failed' : 'succeeded',
      osUser: 'ada', host: 'laptop', startedAt: started, durationMs: 30, headBefore: plan.headBefore, headAfter: head(), plan, steps: results, error, details: null,
    });
    tick();
    return { plan, outcome: failure ? 'failed' : 'succeeded', steps: results, durationMs: 30, error, headAfter: head(), stateAfter, historyId: nextHistoryId - 1, backupId };
  }

  function backupOf(id: string, operation: string): Backup {
    return {
      id, file: `/data/backups/${id}.dump`, createdAt: tick(), method: 'pg_dump', database: 'billing', serverVersion: '15.4', head: head(),
      operation, sizeBytes: 123456, checksum: 'x', profileId: 'prod', tables: [], unsupported: [], durationMs: 40,
    };
  }

  const handlers: Partial<Record<Channel, Handler>> = {
    'app:info': () => ({ mode: options.mode ?? 'web', version: '0.1.0', dataDir: '/data', initialProfileId: null, canPickFolders: options.mode === 'desktop', canOpenEditor: options.mode === 'desktop' }),
    'profiles:list': () => profiles,
    'profiles:save': (r) => {
      const view = { ...r.profile, hasPassword: !!r.password, builtIn: false, backup: { take: true, reason: 'fake: saved profiles back up' }, endpoint: null } as ProfileView;
      const i = profiles.findIndex((p) => p.id === view.id);
      if (i >= 0) profiles[i] = view;
      else profiles.push(view);
      return view;
    },
    'profiles:delete': (r) => ({ deleted: profiles.splice(profiles.findIndex((p) => p.id === r.profileId), 1).length > 0 }),
    'profiles:test': () => ({ serverVersion: '15.4', database: 'billing', user: 'postgres', latencyMs: 3 }),
    'profiles:provide-password': (r) => ({ ok: (passwordKnown = r.password === 'secret') }),
    'projects:open': () => ({ knexfile: null, profiles: [], warnings: [] }),
    // Canned: the engine reads URLs; the fake only echoes one known answer.
    'profiles:parse-url': () => ({ host: 'db.example.com', port: 6543, user: 'ada@corp', password: 'p:ss', database: 'billing', sslMode: 'verify-full' }),
    'migrations:status': (r) =>
      passwordKnown
        ? {
            applied: applied.map((a) => ({ ...a })), pending: pending().map((name) => ({ name, outOfOrder: false })),
            missing: [], edited: [], outOfOrder: [], lock: { locked: false, state: 'free', holders: [] },
            head: head(), lastBatch: applied.at(-1)?.batch ?? 0, ledgerExists: true, serverVersion: '15.4', database: 'billing',
            confirmation: confirmationOf(r.profileId),
          }
        : err('PASSWORD_REQUIRED', 'This connection needs a password.', 'Type it; it is kept for this session only.'),
    'migrations:files': () => ({ files: names.map((name) => ({ name })) }),
    'migrations:plan': (r) => planFor(r.request, r.profileId),
    'migrations:execute': execute,
    'migrations:cancel': () => ({ cancelling: true }),
    'migrations:source': (r) => ({ name: r.name, path: `/m/${r.name}`, source: `export async function up(knex) {\n  await knex.schema.createTable('users', (t) => t.increments());\n}\n`, language: 'typescript' }),
    'migrations:create': (r) => {
      const name = `20250301000000_${r.name}.${r.language ?? 'ts'}`;
      names.push(name);
      return { name, path: `/m/${name}` };
    },
    'migrations:dry-run': (r) => {
      const steps = (r.plan as Plan).steps;
      const failAt = steps.findIndex((s) => s.name === options.dryRunFailOn);
      const migrations = steps.map((s, i) => {
        const table = s.name.slice(15, 25);
        const base = { name: s.name, direction: s.direction, transactional: s.transactional, reason: null };
        if (failAt >= 0 && i > failAt) return { ...base, preview: 'skipped', reason: `Not run: ${options.dryRunFailOn} failed before it.`, statements: [], diff: null, error: null };
        if (i === failAt) {
          return {
            ...base, preview: 'ran', diff: null,
            statements: [{ sql: `alter table "${table}" add column "note" text`, bindings: [] }, { sql: 'insert into "no_such_table" ("id") values (1)', bindings: [] }],
            error: errorInfo('MIGRATION_FAILED', `${s.name} would fail: relation "no_such_table" does not exist`, { migration: s.name }),
          };
        }
        return { ...base, preview: 'ran', statements: [{ sql: `create table "${table}" ("id" serial primary key)`, bindings: [] }], diff: { changes: [{ kind: 'table', name: `public.${table}`, change: 'added' }] }, error: null };
      });
      const error = migrations.find((m) => m.error)?.error ?? null;
      return { where: 'live', whereDetail: 'inside billing, rolled back', ok: !error, error, migrations, combinedDiff: { changes: [{ kind: 'table', name: 'public.users', change: 'added' }] } };
    },
    // Lint = the dry run above plus findings (none, unless a test adds `lintFindings`).
    'migrations:lint': (r) => {
      const plan = (r.plan as Plan | undefined) ?? (planFor({ kind: 'upgrade' }, r.profileId) as Plan);
      const dryRun = handlers['migrations:dry-run']!({ ...r, plan }) as { where: 'live' | 'scratch'; whereDetail: string };
      const findings = (options.lintFindings ?? []).filter((f) => plan.steps.some((s) => s.name === f.migration));
      const count = (sev: string) => findings.filter((f) => !f.suppressed && f.severity === sev).length;
      return {
        findings, migrations: plan.steps.map((s) => s.name), where: dryRun.where, whereDetail: dryRun.whereDetail,
        thresholds: { rows: 100000, bytes: 104857600 }, tables: [], errors: count('error'), warnings: count('warning'), infos: count('info'),
        suppressed: findings.filter((f) => f.suppressed).length, durationMs: 5, dryRun,
      };
    },
    'migrations:rollback-checks': () => ({}),
    'schema:adoption': () => ({ tables: 0, applied: applied.length, adoptable: false }),
    'migrations:sql': () => ({ script: '' }),
    'migrations:open-in-editor': () => ({ opened: true }),
    'migrations:watch': () => ({ folders: ['/m'] }),
    'history:list': (r) => history.filter((h) => (!r.operation || h.operation === r.operation) && (!r.outcome || h.outcome === r.outcome)),
    'lock:release': () => ({ locked: false, state: 'free', holders: [] }),
    'backups:list': () => [...backups],
    'backups:leftovers': () => ({ partialFiles: [], removedPartialFiles: 0, databases: [], droppedDatabases: [] }),
    'backups:create': () => {
      const b = backupOf(`b${backups.length + 1}`, 'manual');
      backups.push(b);
      return b;
    },
    'backups:restore': (r) => ({ database: r.intoDatabase ?? 'billing', head: head(), durationMs: 50 }),
    'backups:verify': () => ({ ok: true, tables: [], message: 'All 0 tables match.' }),
    'backups:reveal': () => ({ shown: options.mode === 'desktop' }),
    'backups:delete': (r) => ({ deleted: backups.splice(backups.findIndex((b) => b.id === r.backupId), 1).length > 0 }),
    'schema:drift': () =>
      options.drifted
        ? { recordedAt: '2025-03-01T09:00:00Z', head: head(), drifted: true, diff: { changes: [{ kind: 'column', name: 'public.users.nickname', change: 'added' }] } }
        : { recordedAt: null, head: head(), drifted: false, diff: { changes: [] } },
  };

  const client: Client = {
    async invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<Result<ResponseOf<C>>> {
      calls.push({ channel, request });
      const handler = handlers[channel];
      if (!handler) return { ok: false, error: errorInfo('INTERNAL', `fake: ${channel} has no handler`) };
      const value = (await handler(request)) as any;
      if (value && typeof value === 'object' && '__error' in value) return { ok: false, error: value.__error };
      return { ok: true, value };
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return { client, calls, applied, history, backups, profiles, listeners };
}

function profile(id: string, name: string, environment: ProfileView['environment'], builtIn: boolean): ProfileView {
  return {
    id, name, environment, kind: builtIn ? 'embedded' : 'postgres', host: builtIn ? undefined : 'db.internal', port: 5432, database: builtIn ? 'demo' : 'billing',
    passwordSource: 'none', migrations: { directories: ['/m'], tableName: 'knex_migrations' }, transactionMode: 'knex',
    backupBeforeMigrate: true, readOnly: false, hasPassword: false, builtIn,
    backup: builtIn ? { take: false, reason: 'fake: the demo is not backed up' } : { take: true, reason: `fake: ${name} backs up first` },
    endpoint: builtIn ? null : { host: 'db.internal', port: 5432, database: 'billing' },
  };
}
