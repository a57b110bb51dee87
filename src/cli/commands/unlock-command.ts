/** `stepstone unlock [--force]`: release a stale Knex lock. */
import { openDatabase } from '../../engine/database/open-database';
import { isStepstoneError } from '../../engine/errors';
import { readLockState, releaseLock } from '../../engine/lock/release-lock';
import { printJson, printLine } from '../output';
import type { ParsedCommand } from '../parse-args';
import { resolveCliTarget } from '../resolve-cli-target';

export async function unlockCommand({ options }: ParsedCommand): Promise<number> {
  const target = await resolveCliTarget(options);
  const db = await openDatabase(target, { operation: 'unlock' });
  try {
    try {
      const state = await releaseLock(db, { force: options.force });
      if (options.json) printJson(state);
      else printLine('The migration lock is released.');
    } catch (error) {
      // As with `knex migrate:unlock`, a free lock is not a failure for scripts.
      if (!isStepstoneError(error) || error.code !== 'NOT_LOCKED') throw error;
      if (options.json) printJson(await readLockState(db));
      else printLine('The migration lock is not set; nothing to release.');
    }
    return 0;
  } finally {
    await db.close();
  }
}
