/**
 * `stepstone lint [--to <name>] [--json]`: the pending migrations checked against the lock-aware
 * rules (a dry run that changes nothing, each statement parsed, sizes from the live database).
 * Exit 1 when an unsuppressed error remains, else 0. `--rules` lists the rules.
 */
import type { LintFinding, LintReport } from '../../shared/lint';
import type { LintRuleInfo } from '../../engine';
import { cliEngine } from '../cli-engine';
import { bold, dim, green, red, yellow } from '../format';
import { note, printJson, printLine } from '../output';
import type { ParsedCommand } from '../parse-args';
import { resolveCliTarget } from '../resolve-cli-target';

function severityLabel(f: LintFinding): string {
  if (f.suppressed) return dim(`suppressed ${f.severity}`);
  if (f.severity === 'error') return red('error');
  if (f.severity === 'warning') return yellow('warning');
  return dim('info');
}

function formatReport(report: LintReport, database: string): string {
  const lines = [`${bold(`Lint of ${report.migrations.length} pending migration${report.migrations.length === 1 ? '' : 's'} on ${database}`)}`, dim(report.whereDetail)];
  for (const migration of report.migrations) {
    const findings = report.findings.filter((f) => f.migration === migration);
    lines.push('', `${bold(migration)}${findings.length ? '' : `  ${green('✓ no findings')}`}`);
    for (const f of findings) {
      lines.push(`  ${severityLabel(f)}  ${f.rule}  ${f.message}`);
      if (f.suppressed) lines.push(dim(`      suppressed: ${f.reason}`));
      else if (f.severity !== 'info') lines.push(dim(`      fix: ${f.fix}`));
    }
  }
  const summary = `${report.errors} error${report.errors === 1 ? '' : 's'}, ${report.warnings} warning${report.warnings === 1 ? '' : 's'}, ${report.suppressed} suppressed`;
  lines.push('', report.errors ? red(summary) : report.warnings ? yellow(summary) : green(summary));
  const t = report.thresholds;
  lines.push(dim(`Errors: statements that block or rewrite a table of ${t.rows.toLocaleString('en-US')} rows or ${Math.round(t.bytes / 1024 / 1024)} MB or more.`));
  return lines.join('\n');
}

function formatRules(rules: LintRuleInfo[]): string {
  return ['Lint rules (suppress one for a migration with `// stepstone-lint-ignore <rule> -- <reason>`):', '', ...rules.map((r) => `  ${r.rule.padEnd(28)} ${r.title}`)].join('\n');
}

/** Exit 1 when any unsuppressed error remains. */
export async function lintCommand(parsed: ParsedCommand): Promise<number> {
  const engine = cliEngine();
  if (parsed.options.rules) {
    const rules = await engine.lintRules();
    if (parsed.options.json) printJson(rules);
    else printLine(formatRules(rules));
    return 0;
  }
  const target = await resolveCliTarget(engine, parsed.options);
  const db = await engine.openDatabase(target, { operation: 'lint' });
  try {
    const plan = await engine.makePlan(db, engine.planRequest('upgrade', { to: parsed.options.to }), { promotion: false });
    const { dryRun: _dryRun, ...report } = await engine.lintPlan(db, plan, { onLog: note });
    if (parsed.options.json) printJson(report);
    else if (plan.steps.length === 0) printLine('Nothing to lint: no pending migrations.');
    else printLine(formatReport(report, engine.databaseNameOf(target)));
    return report.errors > 0 ? 1 : 0;
  } finally {
    await db.close();
  }
}
