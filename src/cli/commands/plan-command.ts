/**
 * `stepstone plan upgrade|rollback` (a plan with each migration's SQL and schema change, from a dry
 * run that changes nothing) and `stepstone sql upgrade|rollback` (the same as a reviewable script).
 */
import type { Plan, PlanRequest } from '../../shared/plan';
import type { DryRunMigration, DryRunResult } from '../../shared/schema';
import { type DbSession, type Engine, StepstoneError, emptyRunResult, inlineBindings, renderSchemaDiff, summarizeSchemaDiff } from '../../engine';
import { cliEngine } from '../cli-engine';
import { bold, dim, formatPlan, red, yellow } from '../format';
import { note, printJson, printLine } from '../output';
import type { ParsedCommand } from '../parse-args';
import { rollbackRequest, upgradeRequest } from '../plan-request';
import { resolveCliTarget } from '../resolve-cli-target';

/** `upgrade [--to | --step]` or `rollback [--step | --to | --all]` from the first positional. */
export function planRequestOf(engine: Engine, parsed: ParsedCommand, command: string): PlanRequest {
  const [kind, ...extra] = parsed.positionals;
  if (kind !== 'upgrade' && kind !== 'rollback') {
    throw new StepstoneError('INVALID_INPUT', kind ? `Unknown plan kind "${kind}".` : `Say what to ${command}: upgrade or rollback.`, {
      hint: `Use \`stepstone ${command} upgrade [--to <name> | --step <n>]\` or \`stepstone ${command} rollback [--step <n> | --to <name> | --all]\`.`,
    });
  }
  if (extra.length) throw new StepstoneError('INVALID_INPUT', `Unexpected argument "${extra[0]}".`, { hint: 'Name a target with --to <name>.' });
  return kind === 'upgrade' ? upgradeRequest(engine, parsed.options) : rollbackRequest(engine, parsed.options);
}

async function dryRunOf(
  parsed: ParsedCommand,
  command: string,
  fn: (engine: Engine, db: DbSession, plan: Plan, database: string) => Promise<number>,
): Promise<number> {
  const engine = cliEngine();
  const request = planRequestOf(engine, parsed, command);
  const target = await resolveCliTarget(engine, parsed.options);
  const db = await engine.openDatabase(target, { operation: `${command} ${request.kind}` });
  try {
    return await fn(engine, db, await engine.makePlan(db, request), engine.databaseNameOf(target));
  } finally {
    await db.close();
  }
}

function previewLabel(m: DryRunMigration): string {
  if (m.preview === 'ran') return dim('ran live, rolled back');
  if (m.preview === 'scratch') return dim('ran on a scratch database');
  return yellow(`no preview: ${m.reason ?? 'skipped'}`);
}

function indent(text: string, by = '      '): string {
  return text
    .split('\n')
    .map((l) => `${by}${l}`)
    .join('\n');
}

function formatDryRun(plan: Plan, result: DryRunResult, database: string): string {
  const lines = [formatPlan(plan, database), '', `${bold('Dry run')}: ${result.whereDetail}`];
  result.migrations.forEach((m, i) => {
    lines.push('', `${bold(`${i + 1}. ${m.direction === 'up' ? '↑' : '↓'} ${m.name}`)}  ${previewLabel(m)}`);
    if (m.statements.length) lines.push('    SQL:', ...m.statements.map((s) => indent(`${inlineBindings(s).trim().replace(/;\s*$/, '')};`)));
    else if (m.preview !== 'skipped') lines.push(dim('    SQL: none'));
    if (m.diff) lines.push(`    Schema (${summarizeSchemaDiff(m.diff)}):`, indent(renderSchemaDiff(m.diff, { lineDiffs: true })));
    if (m.error) lines.push(red(`    ✗ ${m.error.message}`), ...(m.error.hint ? [dim(`      ${m.error.hint}`)] : []));
  });
  lines.push('', `${bold('Schema change of the whole plan')} (${summarizeSchemaDiff(result.combinedDiff)}):`, indent(renderSchemaDiff(result.combinedDiff, { lineDiffs: true }), '  '));
  lines.push('', dim('Nothing was changed: the dry run was rolled back (or ran on a scratch database that was dropped).'));
  return lines.join('\n');
}

function reportProblem(result: DryRunResult): number {
  if (result.ok) return 0;
  process.stderr.write(`stepstone: the dry run stopped: ${result.error?.message ?? 'a migration failed'}${result.error?.hint ? ` ${result.error.hint}` : ''}\n`);
  return 1;
}

/** `stepstone plan upgrade|rollback`: exit 0 when every migration previewed without error. */
export async function planCommand(parsed: ParsedCommand): Promise<number> {
  return dryRunOf(parsed, 'plan', async (engine, db, plan, database) => {
    // The answer need not wait for the server's checkpoint that dropping the scratch copy makes;
    // the process may end while the server finishes the drop (dry-run-plan.ts, scratchDrop).
    const dryRun = await engine.dryRun(db, plan, { onLog: note, scratchDrop: 'background' });
    if (parsed.options.json) printJson({ plan, dryRun });
    else if (plan.steps.length === 0) printLine(emptyRunResult(plan).stateAfter);
    else printLine(formatDryRun(plan, dryRun, database));
    return reportProblem(dryRun);
  });
}

/** `stepstone sql upgrade|rollback > plan.sql`: the script on stdout, notes on stderr. */
export async function sqlCommand(parsed: ParsedCommand): Promise<number> {
  return dryRunOf(parsed, 'sql', async (engine, db, plan) => {
    // The engine renders the script and names the ledger from the session's settings (one source for both).
    const { script, dryRun } = await engine.planSql(db, plan, { onLog: note, scratchDrop: 'background' });
    if (parsed.options.json) printJson({ plan, script });
    else process.stdout.write(script);
    if (plan.steps.length === 0) note(`${emptyRunResult(plan).stateAfter.replace(/\.$/, '')}: the script changes nothing.`);
    return reportProblem(dryRun);
  });
}
