/**
 * Plans are values: computed from the status and the files, shown and confirmed by the user,
 * then executed exactly (or refused if the database moved meanwhile).
 */
import { createHash } from 'node:crypto';
import type { BackupDecision, Plan, PlanRequest, PlanStep } from '../../shared/plan';
import type { MigrationStatus } from '../../shared/status';
import type { Db } from '../database/open-database';
import { StepstoneError } from '../errors';
import { assertHasMigrations, compareMigrationNames, headOf, type MigrationEntry } from '../migrations/list-migration-files';
import { loadMigration } from '../migrations/load-migration';
import { decideBackup } from '../backup/backup-policy';
import { confirmationFor } from '../profiles/confirmation';
import { readStatus } from '../status/get-status';
import { assertNever } from '../../shared/assert-never';

/** Identifies the applied set a plan was computed against. */
export function appliedFingerprint(names: string[]): string {
  return createHash('sha1').update(names.join('\n')).digest('hex');
}

function suggest(name: string, candidates: string[]): string {
  const needle = name.toLowerCase().replace(/\.(ts|js|cjs|mjs)$/, '');
  const close = candidates.filter((c) => c.toLowerCase().includes(needle) || needle.includes(c.toLowerCase().replace(/\.[a-z]+$/, '')));
  return close.length ? ` Did you mean ${close.slice(0, 3).join(', ')}?` : '';
}

/** Resolve a user-typed migration name (with or without extension) to a known file name. */
export function resolveName(name: string, known: string[]): string | undefined {
  if (known.includes(name)) return name;
  const matches = known.filter((k) => k.replace(/\.[^.]+$/, '') === name);
  return matches.length === 1 ? matches[0] : undefined;
}

function notFound(name: string, known: string[]): StepstoneError {
  return new StepstoneError('MIGRATION_NOT_FOUND', `No migration named ${name}.${suggest(name, known)}`, {
    hint: 'Use a file name from `stepstone status` (the extension may be left out).',
  });
}

/** The steps an upgrade or rollback request selects, before loading any file. */
export function selectSteps(status: MigrationStatus, request: PlanRequest): { names: string[]; direction: 'up' | 'down' } {
  if (request.kind === 'upgrade') {
    const pending = status.pending.map((p) => p.name);
    if (request.to !== undefined && request.steps !== undefined) {
      throw new StepstoneError('INVALID_INPUT', 'Choose one of --to and --step for an upgrade.', { hint: '--to <name> applies up to a migration; --step <n> applies the next n.' });
    }
    // The next n in run order, as knex's migrate:up takes the next one.
    if (request.steps !== undefined) return { names: pending.slice(0, request.steps), direction: 'up' };
    if (request.to === undefined) return { names: pending, direction: 'up' };
    const appliedNames = status.applied.map((a) => a.name);
    const target = resolveName(request.to, [...pending, ...appliedNames]);
    if (!target) throw notFound(request.to, [...pending, ...appliedNames]);
    // Every pending migration up to and including the target; an applied target leaves only older
    // pending ones (a merged branch), so re-running the same upgrade is a no-op.
    return { names: pending.filter((n) => compareMigrationNames(n, target) <= 0), direction: 'up' };
  }
  // Rollbacks undo the newest applications first, as Knex's rollback does.
  const newestFirst = [...status.applied].sort((a, b) => b.id - a.id);
  switch (request.mode) {
    case 'last-batch':
      return { names: newestFirst.filter((a) => a.batch === status.lastBatch).map((a) => a.name), direction: 'down' };
    case 'steps':
      return { names: newestFirst.slice(0, request.steps).map((a) => a.name), direction: 'down' };
    case 'all':
      return { names: newestFirst.map((a) => a.name), direction: 'down' };
    case 'to': {
      const appliedNames = status.applied.map((a) => a.name);
      const target = resolveName(request.to, [...appliedNames, ...status.pending.map((p) => p.name)]);
      if (!target) throw notFound(request.to, [...appliedNames, ...status.pending.map((p) => p.name)]);
      if (!appliedNames.includes(target)) {
        throw new StepstoneError('TARGET_NOT_APPLIED', `${target} is not applied, so there is nothing to roll back to.`, {
          hint: 'Choose an applied migration; everything after it is rolled back and it stays applied.',
        });
      }
      return { names: newestFirst.filter((a) => compareMigrationNames(a.name, target) > 0).map((a) => a.name), direction: 'down' };
    }
    default:
      return assertNever(request, 'rollback request');
  }
}

export interface MakePlanOptions {
  /** Check a production upgrade against the project's staging (default true; lint looks at the plan without it). */
  promotion?: boolean;
  /** The user asked to skip the backup before the run (refused on production: BACKUP_REQUIRED). */
  skipBackup?: boolean;
}

/**
 * Compute a plan against the current database and files. Loads each step's file to validate it.
 * The plan carries the backup decision and the confirmation running it asks for; a production upgrade of a project with a staging environment
 * carries the promotion guard's finding (a warning, or STAGING_REQUIRED when the project requires staging).
 */
export async function makePlan(db: Db, request: PlanRequest, options: MakePlanOptions = {}): Promise<Plan> {
  const backup = decideBackup(db.target.profile, { skip: options.skipBackup });
  const { status, files } = await readStatus(db);
  // An empty folder is more likely a wrong --migrations than a finished project.
  if (request.kind === 'upgrade') assertHasMigrations(files, db.settings);
  const plan = await planFromStatus(db, status, files, request, backup);
  const { profile } = db.target;
  if (options.promotion === false || profile.environment !== 'production' || !profile.source || plan.direction !== 'up' || plan.steps.length === 0) return plan;
  // Loaded only here: most plans never need to open the project's knexfile again.
  const { guardPromotion } = await import('../compare/promotion-guard');
  return guardPromotion(db.target, plan);
}

/** The plan for `request` given a status already read. */
async function planFromStatus(db: Db, status: MigrationStatus, files: MigrationEntry[], request: PlanRequest, backup: BackupDecision): Promise<Plan> {
  const { names, direction } = selectSteps(status, request);
  const byName = new Map(files.map((f) => [f.name, f]));
  if (direction === 'up' && status.missing.length > 0) {
    throw new StepstoneError('MIGRATIONS_MISSING', `Applied migrations are missing from the folder: ${status.missing.join(', ')}.`, {
      hint: 'Restore those files (never delete applied migrations) before upgrading; Knex refuses to migrate a corrupt folder too.',
    });
  }
  const missingSteps = names.filter((n) => !byName.has(n));
  if (missingSteps.length > 0) {
    throw new StepstoneError('MIGRATIONS_MISSING', `Cannot roll back ${missingSteps.join(', ')}: the file${missingSteps.length > 1 ? 's are' : ' is'} gone, so its down cannot run.`, {
      hint: 'Restore the missing files from version control, then plan again.',
    });
  }
  // Sets and maps throughout: plans over thousands of migrations stay linear.
  const batchOf = new Map(status.applied.map((a) => [a.name, a.batch]));
  const steps: PlanStep[] = [];
  for (const name of names) {
    const loaded = await loadMigration(byName.get(name)!, db.context.caches);
    steps.push({
      name,
      direction,
      transactional: loaded.transactional !== false,
      checksum: loaded.checksum,
      batch: direction === 'down' ? batchOf.get(name)! : null,
    });
  }
  const warnings: string[] = [];
  const outOfOrderSet = new Set(status.outOfOrder);
  const editedSet = new Set(status.edited);
  const outOfOrder = steps.filter((s) => outOfOrderSet.has(s.name)).map((s) => s.name);
  if (outOfOrder.length) warnings.push(`Out of order (older than the newest applied migration, e.g. from a merged branch): ${outOfOrder.join(', ')}.`);
  const edited = steps.filter((s) => editedSet.has(s.name)).map((s) => s.name);
  if (edited.length) warnings.push(`Edited since applied: ${edited.join(', ')} — the down that runs is the edited file's.`);
  const nonTx = steps.filter((s) => !s.transactional).map((s) => s.name);
  if (nonTx.length) warnings.push(`Not transactional (config.transaction = false): ${nonTx.join(', ')} — each migration commits on its own.`);
  const single = db.transactionMode === 'knex' && nonTx.length === 0;
  const appliedNames = status.applied.map((a) => a.name);
  const stepNames = new Set(names);
  const remaining = direction === 'up' ? [...appliedNames, ...names] : appliedNames.filter((n) => !stepNames.has(n));
  const fields = {
    steps,
    transaction: single ? ('single' as const) : ('per-migration' as const),
    backup,
    confirmation: confirmationFor(db.target),
    headBefore: status.head,
    headAfter: headOf(remaining),
    appliedFingerprint: appliedFingerprint(appliedNames),
    warnings,
  };
  return request.kind === 'upgrade'
    ? { request, direction: 'up', batch: status.lastBatch + 1, ...fields }
    : { request, direction: 'down', batch: null, ...fields };
}
