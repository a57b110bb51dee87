/** `stepstone check [--from <url> | --from-file <file>]`: the CI gate, exit 0 when all is well, 1 with a line per problem. */
import { cliEngine } from '../cli-engine';
import { formatCheck } from '../format-adopt';
import { note, printJson, printLine } from '../output';
import type { ParsedCommand } from '../parse-args';
import { resolveCliTarget } from '../resolve-cli-target';
import { desiredSourceOf, optionalDb } from './adopt-commands';

export async function checkCommand({ options }: ParsedCommand): Promise<number> {
  const source = desiredSourceOf(options, false);
  const engine = cliEngine();
  // Without a reference, the database is what is checked: it must be named (or found).
  const { db, settings } = source ? await optionalDb(engine, options, 'check') : await openTarget();
  try {
    const result = await engine.checkProject(db, settings, { source, shadowUrl: options.shadow, onLog: note });
    if (options.json) printJson(result);
    else printLine(formatCheck(result));
    if (!result.ok && !options.json) process.stderr.write(`stepstone: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'} found.\n`);
    return result.ok ? 0 : 1;
  } finally {
    await db?.close();
  }

  async function openTarget() {
    const target = await resolveCliTarget(engine, options);
    return { db: await engine.openDatabase(target, { operation: 'check' }), settings: target.profile.migrations };
  }
}
