/**
 * Lint of a plan: the dry run with lock tracing (changes nothing; on production profiles it runs
 * on the scratch copy), every captured statement parsed, the touched tables' sizes read once from
 * the live database, the rules applied, and the migration files' suppression comments honoured.
 */
import { readFile } from 'node:fs/promises';
import type { Plan } from '../../shared/plan';
import type { LintFinding, LintReport, LintThresholds, TableSize } from '../../shared/lint';
import type { DryRunResult } from '../../shared/schema';
import type { Db } from '../database/open-database';
import { dryRunPlan } from '../dry-run/dry-run-plan';
import { isBusyError } from '../dry-run/dry-run-steps';
import { inlineBindings } from '../dry-run/inline-bindings';
import { StepstoneError, messageOf } from '../errors';
import { listMigrationFiles } from '../migrations/list-migration-files';
import { readProjectSettings } from '../settings/project-settings';
import { LINT_RULES } from './lint-rules';
import { type TableRef, readStatement } from './read-statement';
import { readSuppressions } from './read-suppressions';
import { readTableSizes, refText } from './read-table-sizes';
import { type CheckedStatement, type DraftFinding, type LintFacts, tableLabel } from './statement-facts';
import { actionFindings, unexplainedRewrites } from './statement-rules';
import { transactionFindings } from './transaction-rules';

export const DEFAULT_THRESHOLDS: LintThresholds = { rows: 100_000, bytes: 100 * 1024 * 1024 };

export interface LintOptions {
  thresholds?: Partial<LintThresholds>;
  onLog?: (message: string) => void;
  /** Aborting cancels the dry run lint runs (its statement too): CANCELLED. */
  signal?: AbortSignal;
}

export type LintResult = LintReport & { dryRun: DryRunResult };

/** Lints `plan` on `db`; throws DRY_RUN_BUSY ("busy, try later") when another session's locks stopped the dry run. */
export async function lintPlan(db: Db, plan: Plan, options: LintOptions = {}): Promise<LintResult> {
  const started = performance.now();
  const { profile } = db.target;
  const project = profile.source ? (await readProjectSettings(profile.source.knexfile)).lint : undefined;
  const thresholds = { ...DEFAULT_THRESHOLDS, ...project, ...profile.lintThresholds, ...options.thresholds };
  const timeoutInForce = await liveLockTimeout(db);
  const dryRun = await dryRunPlan(db, plan, { traceLocks: true, onLog: options.onLog, signal: options.signal });
  if (dryRun.error?.code === 'DRY_RUN_BUSY') throw busy(dryRun.error.message, dryRun.error.hint);

  const statements = await checkedStatements(dryRun);
  const createdInPlan = new Map<string, number>();
  const refs: TableRef[] = [];
  for (const s of statements) {
    for (const lock of s.trace?.acquired ?? []) refs.push({ schema: lock.schema, name: lock.name });
    if (!s.reading.ok) continue;
    for (const action of s.reading.actions) {
      if (!('table' in action)) continue;
      refs.push(action.table);
      if (action.kind === 'create-table' && !createdInPlan.has(action.table.name)) createdInPlan.set(action.table.name, s.position);
    }
  }
  let sizes: Map<string, TableSize>;
  try {
    sizes = await readTableSizes(db.knex, refs);
  } catch (error) {
    if (isBusyError(error)) throw busy(`reading the tables' sizes waited for a lock (${messageOf(error)}).`);
    throw error;
  }
  const facts: LintFacts = { thresholds, createdInPlan, sizeOf: (ref) => sizes.get(refText(ref)) ?? null };

  const drafts: DraftFinding[] = [];
  for (const s of statements) drafts.push(...statementFindings(facts, s));
  drafts.push(...migrationFindings(dryRun));
  for (const scope of transactionScopes(plan, dryRun, statements)) drafts.push(...transactionFindings(facts, scope, timeoutInForce));

  const findings = await applySuppressions(db, plan, drafts);
  const order = new Map(plan.steps.map((s, i) => [s.name, i]));
  const rank = { error: 0, warning: 1, info: 2 } as const;
  findings.sort((a, b) => (order.get(a.migration) ?? 0) - (order.get(b.migration) ?? 0) || (a.statement?.index ?? 0) - (b.statement?.index ?? 0) || rank[a.severity] - rank[b.severity]);
  const live = findings.filter((f) => !f.suppressed);
  return {
    findings,
    migrations: plan.steps.map((s) => s.name),
    where: dryRun.where,
    whereDetail: `${dryRun.whereDetail} Table sizes read from the live database.`,
    thresholds,
    tables: [...new Map([...sizes.values()].map((t) => [`${t.schema}.${t.name}`, t])).values()],
    errors: live.filter((f) => f.severity === 'error').length,
    warnings: live.filter((f) => f.severity === 'warning').length,
    infos: live.filter((f) => f.severity === 'info').length,
    suppressed: findings.length - live.length,
    durationMs: performance.now() - started,
    dryRun,
  };
}

/** DRY_RUN_BUSY; a dry run's own busy message already says "busy, try later" (said once, with its own hint). */
function busy(detail: string, hint?: string): StepstoneError {
  const prefix = 'The database is busy, try later: ';
  return new StepstoneError('DRY_RUN_BUSY', detail.startsWith(prefix) ? detail : `${prefix}${detail}`, {
    hint: hint ?? 'Another session holds a lock on a table the migrations touch. Nothing was changed; run the lint again when it is quieter.',
  });
}

/** Whether sessions on the live database start with a lock_timeout (from the role, the database or the connection settings). */
async function liveLockTimeout(db: Db): Promise<boolean> {
  const { rows } = await db.knex.raw(`select pg_catalog.current_setting('lock_timeout') as value`);
  return !/^0(ms|s)?$/.test(String(rows[0]?.value ?? '0'));
}

async function checkedStatements(dryRun: DryRunResult): Promise<CheckedStatement[]> {
  const out: CheckedStatement[] = [];
  for (const m of dryRun.migrations) {
    for (const [i, s] of m.statements.entries()) {
      out.push({ position: out.length, migration: m.name, index: i + 1, text: inlineBindings(s).trim(), trace: s.trace ?? null, reading: await readStatement(s.sql), transactional: m.transactional });
    }
  }
  return out;
}

function statementFindings(facts: LintFacts, s: CheckedStatement): DraftFinding[] {
  if (!s.reading.ok) {
    const lock = s.trace?.acquired[0];
    return [
      {
        migration: s.migration,
        statement: { index: s.index, text: s.text },
        rule: 'unparsable-statement',
        severity: 'warning',
        table: lock ? tableLabel(lock.schema, lock.name) : null,
        lock: lock?.mode ?? null,
        rewrite: (s.trace?.rewritten.length ?? 0) > 0,
        rows: null,
        bytes: null,
        message: `Statement ${s.index}: PostgreSQL's parser could not read it (${s.reading.error}), so no rule could look at it.`,
        fix: LINT_RULES['unparsable-statement'].fix,
      },
    ];
  }
  const found = s.reading.actions.flatMap((a) => actionFindings(facts, s, a));
  return [...found, ...unexplainedRewrites(facts, s, found)];
}

function migrationFinding(migration: string, rule: 'dry-run-failed' | 'not-previewed', severity: LintFinding['severity'], message: string, statement: DraftFinding['statement'] = null): DraftFinding {
  return { migration, statement, rule, severity, table: null, lock: null, rewrite: false, rows: null, bytes: null, message, fix: LINT_RULES[rule].fix };
}

/** A migration that failed in the dry run, or that the dry run could not run. */
function migrationFindings(dryRun: DryRunResult): DraftFinding[] {
  const out: DraftFinding[] = [];
  for (const m of dryRun.migrations) {
    if (m.error) {
      const last = m.statements[m.statements.length - 1];
      const statement = last ? { index: m.statements.length, text: inlineBindings(last).trim() } : null;
      out.push(migrationFinding(m.name, 'dry-run-failed', 'error', `The dry run failed${statement ? ` at statement ${statement.index}` : ''}: ${m.error.message}`, statement));
    } else if (m.preview === 'skipped') {
      const afterFailure = /failed before it/.test(m.reason ?? '');
      out.push(migrationFinding(m.name, 'not-previewed', afterFailure ? 'info' : 'warning', `Not checked: ${m.reason ?? 'the dry run did not run it'}.`.replace(/\.\.$/, '.')));
    }
  }
  return out;
}

/** The statements of each transaction a real run would open: the whole plan in one-transaction mode, else each migration. */
function transactionScopes(plan: Plan, dryRun: DryRunResult, statements: CheckedStatement[]): CheckedStatement[][] {
  if (plan.transaction === 'single') return [statements.filter((s) => s.transactional)];
  return dryRun.migrations.filter((m) => m.transactional).map((m) => statements.filter((s) => s.migration === m.name));
}

/** Marks findings silenced by a `stepstone-lint-ignore` comment and adds findings for malformed comments. */
async function applySuppressions(db: Db, plan: Plan, drafts: DraftFinding[]): Promise<LintFinding[]> {
  const files = new Map((await listMigrationFiles(db.settings)).map((f) => [f.name, f.path]));
  const out: LintFinding[] = [];
  for (const step of plan.steps) {
    const path = files.get(step.name);
    const { suppressions, problems } = path ? readSuppressions(await readFile(path, 'utf8')) : { suppressions: [], problems: [] };
    for (const problem of problems) {
      out.push({ ...migrationFinding(step.name, 'not-previewed', 'warning', problem.message), rule: problem.rule, fix: LINT_RULES[problem.rule].fix, suppressed: false, reason: null });
    }
    for (const draft of drafts.filter((d) => d.migration === step.name)) {
      const by = suppressions.find((s) => s.rule === draft.rule);
      out.push({ ...draft, suppressed: Boolean(by), reason: by?.reason ?? null });
    }
  }
  return out;
}
