/** `stepstone drift`: schema changes made outside migrations since Stepstone last recorded the schema. */
import type { DriftReport } from '../../shared/schema';
import { renderSchemaDiff, summarizeSchemaDiff } from '../../engine';
import { cliEngine } from '../cli-engine';
import { bold, dim, green, yellow } from '../format';
import { printJson, printLine } from '../output';
import type { ParsedCommand } from '../parse-args';
import { resolveCliTarget } from '../resolve-cli-target';

function formatDrift(report: DriftReport, database: string): string {
  if (!report.recordedAt) return dim(`No schema snapshot of ${database} yet: Stepstone records one after each upgrade or rollback it runs.`);
  const since = `since ${report.recordedAt}${report.head ? ` (head ${report.head})` : ''}`;
  const moved = report.currentHead !== undefined && report.currentHead !== report.head;
  const headNote = moved ? [yellow(`The head is now ${report.currentHead ?? 'none'}: migrations ran outside Stepstone since, and their changes show here too.`)] : [];
  if (!report.drifted) return [green(`No drift in ${database} ${since}.`), ...headNote].join('\n');
  return [`${bold(`Drift in ${database}`)} ${since}: ${summarizeSchemaDiff(report.diff)}`, renderSchemaDiff(report.diff, { lineDiffs: true }), ...headNote].join('\n');
}

/** Exit 0 whether or not the schema drifted (drift is information, not a failure). */
export async function driftCommand(parsed: ParsedCommand): Promise<number> {
  const engine = cliEngine();
  const target = await resolveCliTarget(engine, parsed.options);
  const db = await engine.openDatabase(target, { operation: 'drift' });
  try {
    const report = await engine.detectDrift(db);
    if (parsed.options.json) printJson(report);
    else printLine(formatDrift(report, engine.databaseNameOf(target)));
    return 0;
  } finally {
    await db.close();
  }
}
