/** `stepstone history`: the audit log, newest first. */
import { Operation } from '../../shared/history';
import { RunOutcome } from '../../shared/run';
import { StepstoneError } from '../../engine';
import { cliEngine } from '../cli-engine';
import { formatHistory } from '../format';
import { printJson, printLine } from '../output';
import { positiveInt, type ParsedCommand } from '../parse-args';
import { resolveCliTarget } from '../resolve-cli-target';

export async function historyCommand({ options }: ParsedCommand): Promise<number> {
  const operation = options.operation === undefined ? undefined : Operation.safeParse(options.operation);
  if (operation && !operation.success) throw new StepstoneError('INVALID_INPUT', `--operation must be one of ${Operation.options.join(', ')}.`);
  const outcome = options.outcome === undefined ? undefined : RunOutcome.safeParse(options.outcome);
  if (outcome && !outcome.success) throw new StepstoneError('INVALID_INPUT', `--outcome must be one of ${RunOutcome.options.join(', ')}.`);
  const engine = cliEngine();
  const target = await resolveCliTarget(engine, options);
  const db = await engine.openDatabase(target, { operation: 'history' });
  try {
    const entries = await engine.listHistory(db, { operation: operation?.data, outcome: outcome?.data, limit: positiveInt(options.limit, 'limit') });
    if (options.json) printJson(entries);
    else printLine(formatHistory(entries));
    return 0;
  } finally {
    await db.close();
  }
}
