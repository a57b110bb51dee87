/** `stepstone unlock [--force]`: release a stale Knex lock. */
import { isStepstoneError } from '../../engine';
import { cliEngine } from '../cli-engine';
import { printJson, printLine } from '../output';
import type { ParsedCommand } from '../parse-args';
import { resolveCliTarget } from '../resolve-cli-target';

export async function unlockCommand({ options }: ParsedCommand): Promise<number> {
  const engine = cliEngine();
  const target = await resolveCliTarget(engine, options);
  const db = await engine.openDatabase(target, { operation: 'unlock' });
  try {
    try {
      const state = await engine.releaseLock(db, { force: options.force ?? false });
      if (options.json) printJson(state);
      else printLine('The migration lock is released.');
    } catch (error) {
      // As with `knex migrate:unlock`, a free lock is not a failure for scripts.
      if (!isStepstoneError(error) || error.code !== 'NOT_LOCKED') throw error;
      if (options.json) printJson(await engine.readLockState(db));
      else printLine('The migration lock is not set; nothing to release.');
    }
    return 0;
  } finally {
    await db.close();
  }
}
