/** `stepstone repair [<migration>] --action retry|complete`: the repair of an interrupted non-transactional migration. */
import { StepstoneError } from '../../engine';
import { cliEngine } from '../cli-engine';
import { confirm } from '../confirm';
import { formatInterrupted, green } from '../format';
import { note, printJson, printLine } from '../output';
import type { ParsedCommand } from '../parse-args';
import { resolveCliTarget } from '../resolve-cli-target';

const ACTIONS = ['retry', 'complete'] as const;

export async function repairCommand({ positionals, options }: ParsedCommand): Promise<number> {
  const action = options.action;
  if (action !== undefined && !(ACTIONS as readonly string[]).includes(action)) {
    throw new StepstoneError('INVALID_INPUT', `--action ${action} is not a repair: it is retry or complete.`, {
      hint: 'retry drops what the migration left so the next run runs it again; complete records it as done.',
    });
  }
  const engine = cliEngine();
  const target = await resolveCliTarget(engine, options);
  const db = await engine.openDatabase(target, { operation: 'repair' });
  try {
    const interrupted = await engine.listInterrupted(db);
    const name = positionals[0];
    const shown = name === undefined ? interrupted : interrupted.filter((e) => e.name === name || e.name.replace(/\.[cm]?[jt]s$/, '') === name.replace(/\.[cm]?[jt]s$/, ''));
    if (action === undefined) {
      // Without a choice, say what there is to choose from: the user decides, not Stepstone.
      if (options.json) printJson({ interrupted: shown });
      else printLine(shown.length ? formatInterrupted(shown) : 'No non-transactional migration is interrupted; there is nothing to repair.');
      if (!shown.length) return 0;
      throw new StepstoneError('INVALID_INPUT', 'Choose the repair: --action retry or --action complete.', { hint: 'Each choice above says whether it fits and the SQL it runs.' });
    }
    const entry = shown.length === 1 ? shown[0] : null;
    const option = entry?.repairs.find((r) => r.action === action);
    if (entry && option?.available) {
      if (!options.json) note(`${entry.summary}\nRepair: ${option.label}${option.sql.length ? `\n  ${option.sql.join(';\n  ')};` : ''}`);
      const database = engine.databaseNameOf(target);
      await confirm(`Repair ${entry.name} on ${database} (${action})?`, { yes: options.yes, confirmation: engine.confirmationFor(target) });
    }
    const result = await engine.repairInterrupted(db, name, action as (typeof ACTIONS)[number]);
    if (options.json) printJson(result);
    else printLine(green(result.message));
    return 0;
  } finally {
    await db.close();
  }
}
