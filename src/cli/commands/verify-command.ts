/**
 * `stepstone verify <backup-id>` checks a backup (restore into a scratch database, compare with the
 * catalogue); `stepstone verify` with no id proves each migration's rollback on a shadow database
 * (the stairway): exit 1 when any is not `ok`.
 */
import type { VerifyRollbacksReport } from '../../shared/verify';
import { resolveDataDir } from '../../engine';
import { cliEngine } from '../cli-engine';
import { bold, dim, formatMs, green, red, yellow } from '../format';
import { note, printJson, printLine } from '../output';
import type { ParsedCommand } from '../parse-args';
import { resolveCliTarget } from '../resolve-cli-target';

function formatReport(report: VerifyRollbacksReport): string {
  const lines = [bold(`Rollback check of ${report.migrations.length + report.notChecked.length} migrations`), dim(`On the ${report.shadow}; the target database was not touched.`), ''];
  for (const c of report.migrations) {
    const mark = c.result === 'ok' ? green('✓') : red('✗');
    lines.push(`${mark} ${c.migration}  ${c.result === 'ok' ? dim(c.message) : `${red(c.result)}: ${c.message}`}`);
  }
  for (const name of report.notChecked) lines.push(`${yellow('○')} ${name}  ${dim('not checked (an earlier up failed)')}`);
  const bad = report.migrations.filter((c) => c.result !== 'ok').length;
  lines.push('', bad || report.notChecked.length ? red(`${bad} of ${report.migrations.length} rollbacks not verified${report.notChecked.length ? `, ${report.notChecked.length} not checked` : ''}.`) : green(`All ${report.migrations.length} rollbacks verified in ${formatMs(report.durationMs)}.`));
  return lines.join('\n');
}

/** With an id: the backup check. Without: the stairway. */
export async function verifyCommand(parsed: ParsedCommand): Promise<number> {
  if (parsed.positionals.length) {
    const { verifyCommand: verifyBackupCommand } = await import('./backup-commands');
    return verifyBackupCommand(parsed);
  }
  const { options } = parsed;
  const engine = cliEngine();
  const target = await resolveCliTarget(engine, options);
  const report = await engine.verifyRollbacks(target, {
    shadowUrl: options.shadow,
    to: options.to,
    onLog: note,
    onMigration: options.json ? undefined : (name, i, total) => note(dim(`[${i + 1}/${total}] ${name}`)),
    // As plan and sql: the report need not wait for the checkpoint the server makes to drop the shadow.
    shadowDrop: 'background',
  });
  await engine.recordRollbackChecks(resolveDataDir(options.home), target.profile.migrations, report).catch((error) => note(`Could not record the results for the app: ${(error as Error).message}`));
  if (options.json) printJson(report);
  else printLine(formatReport(report));
  return report.ok ? 0 : 1;
}
