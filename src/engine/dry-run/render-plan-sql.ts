/**
 * A plan's SQL as a script a DBA can review and run (offline mode): a header naming the database,
 * the head and the plan; transactional migrations inside BEGIN/COMMIT with Knex's ledger writes so
 * knex stays in step; non-transactional migrations in their own marked sections, outside any
 * transaction; migrations without a preview named with the reason.
 */
import type { Plan, PlanStep } from '../../shared/plan';
import type { DryRunMigration, DryRunResult } from '../../shared/schema';
import { qualify, quoteIdent } from '../schema/sql-quoting';
import { inlineBindings, sqlLiteral } from './inline-bindings';

export interface PlanSqlContext {
  database: string;
  /** The database's current head (newest applied migration), null when none. */
  head: string | null;
  plan: Plan;
  /** Knex's ledger table and schema (default knex_migrations in the search_path). */
  ledger?: { tableName?: string; schemaName?: string };
  generatedAt: Date;
  /** Who generated it, e.g. "ana@laptop via stepstone". */
  generatedBy: string;
}

const RULE = `-- ${'='.repeat(76)}`;

/** A captured statement as a runnable line: bindings inlined, one trailing semicolon. */
function statementLine(sql: string): string {
  return `${sql.trim().replace(/;\s*$/, '')};`;
}

function comment(text: string): string {
  return text
    .split('\n')
    .map((l) => `-- ${l}`.trimEnd())
    .join('\n');
}

/** The script for `result` (a dry run of `context.plan`). */
export function renderPlanSql(result: DryRunResult, context: PlanSqlContext): string {
  const { plan } = context;
  const table = context.ledger?.tableName ?? 'knex_migrations';
  const schema = context.ledger?.schemaName;
  const qualifiedTable = (t: string) => (schema ? qualify(schema, t) : quoteIdent(t));
  const ledger = qualifiedTable(table);
  const byName = new Map(result.migrations.map((m) => [m.name, m]));
  const entryOf = (step: PlanStep): DryRunMigration =>
    byName.get(step.name) ?? { name: step.name, direction: step.direction, transactional: step.transactional, preview: 'skipped', reason: 'Not in the dry run.', statements: [], diff: null, error: null };

  const unusable = plan.steps.map(entryOf).filter((m) => m.preview === 'skipped' || m.error);
  const out: string[] = [header(result, context, unusable)];

  if (plan.direction === 'up' && plan.steps.length > 0) {
    out.push(
      comment("Knex's ledger, created as Knex creates it when missing (harmless when it exists)."),
      `create table if not exists ${ledger} ("id" serial primary key, "name" varchar(255), "batch" integer, "migration_time" timestamptz);`,
      `create table if not exists ${qualifiedTable(`${table}_lock`)} ("index" serial primary key, "is_locked" integer);`,
      `insert into ${qualifiedTable(`${table}_lock`)} ("is_locked") select 0 where not exists (select 1 from ${qualifiedTable(`${table}_lock`)});`,
      '',
    );
  }

  const ledgerWrite = (step: PlanStep) =>
    step.direction === 'up'
      ? `insert into ${ledger} ("name", "batch", "migration_time") values (${sqlLiteral(step.name)}, ${plan.batch ?? 1}, now());`
      : `delete from ${ledger} where "name" = ${sqlLiteral(step.name)};`;
  const body = (step: PlanStep, m: DryRunMigration) => [
    `-- ${step.direction === 'up' ? '↑' : '↓'} ${step.name}${m.preview === 'scratch' ? ' (SQL captured on a scratch database)' : ''}`,
    ...(m.statements.length ? m.statements.map((s) => statementLine(inlineBindings(s))) : ['-- (no SQL)']),
    ledgerWrite(step),
  ];

  let open = false; // inside a BEGIN of a single-transaction plan
  for (const [i, step] of plan.steps.entries()) {
    const m = entryOf(step);
    if (m.error || m.preview === 'skipped') {
      if (open) out.push('ROLLBACK; -- the plan cannot be completed: see below', '');
      open = false;
      out.push(stopSection(step, m, plan.steps.length - i - 1));
      break;
    }
    if (!step.transactional) {
      if (open) out.push('COMMIT;', '');
      open = false;
      out.push(
        RULE,
        `-- NOT TRANSACTIONAL: ${step.name}`,
        '-- It sets config.transaction = false (e.g. CREATE INDEX CONCURRENTLY), so these statements',
        '-- run OUTSIDE any transaction, one by one, each committing on its own. If one fails, fix',
        "-- what it left (e.g. an INVALID index) before going on; the ledger row comes last.",
        RULE,
        ...body(step, m),
        RULE,
        `-- END OF NOT TRANSACTIONAL: ${step.name}`,
        RULE,
        '',
      );
      continue;
    }
    if (plan.transaction === 'single') {
      if (!open) out.push('BEGIN;', '');
      open = true;
      out.push(...body(step, m), '');
    } else {
      out.push('BEGIN;', ...body(step, m), 'COMMIT;', '');
    }
  }
  if (open) out.push('COMMIT;', '');
  return `${out.join('\n').trimEnd()}\n`;
}

function header(result: DryRunResult, context: PlanSqlContext, unusable: DryRunMigration[]): string {
  const { plan } = context;
  const when = context.generatedAt.toISOString();
  const by = context.generatedBy;
  const verb = plan.direction === 'up' ? 'Upgrade' : 'Rollback';
  const lines = [
    `Stepstone SQL script — ${verb} of database ${context.database}`,
    `Generated ${when} by ${by}.`,
    `Current head: ${context.head ?? '(no migrations applied)'}`,
    `Plan: ${plan.direction === 'up' ? 'upgrade' : 'rollback'}, ${plan.steps.length} migration${plan.steps.length === 1 ? '' : 's'}` +
      `${plan.batch !== null ? `, batch ${plan.batch}` : ''}, ${plan.transaction === 'single' ? 'all in one transaction' : 'one transaction per migration'}; head after: ${plan.headAfter ?? '(none)'}.`,
    ...plan.steps.map((s, i) => `  ${String(i + 1).padStart(3)}. ${s.name}${s.transactional ? '' : '   [NOT TRANSACTIONAL — own section below]'}`),
    `SQL captured by a dry run: ${result.whereDetail}`,
    ...plan.warnings.map((w) => `Warning: ${w}`),
    'Review before running, e.g. psql -v ON_ERROR_STOP=1 -f this-file.sql. The script keeps Knex\'s ledger',
    `(${[context.ledger?.schemaName, context.ledger?.tableName ?? 'knex_migrations'].filter(Boolean).join('.')}) in step; Stepstone will list these migrations as applied by another tool.`,
  ];
  if (unusable.length) {
    lines.push('', `INCOMPLETE: the script stops before ${unusable[0].name} — ${unusable[0].error?.message ?? unusable[0].reason ?? 'no preview'}.`);
  }
  return `${comment(lines.join('\n'))}\n`;
}

function stopSection(step: PlanStep, m: DryRunMigration, after: number): string {
  const why = m.error ? `the dry run failed here: ${m.error.message}` : `no preview: ${m.reason ?? 'skipped'}`;
  const lines = [
    RULE,
    `-- STOP: ${step.name} — ${why}`,
    `-- Its SQL is not known, so this script ends here${after ? ` (${after} later migration${after === 1 ? '' : 's'} not included)` : ''}.`,
    '-- Run the rest with stepstone or knex, or fix the migration and export again.',
  ];
  if (m.error && m.statements.length) {
    lines.push('-- Statements it sent before failing:', ...m.statements.map((s) => comment(statementLine(inlineBindings(s)))));
  }
  lines.push(RULE);
  return lines.join('\n');
}
