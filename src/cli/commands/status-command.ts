/** `stepstone status`: read-only. */
import { openReadSession } from '../../engine/database/read-session';
import { getStatus } from '../../engine/status/get-status';
import { formatStatus } from '../format';
import { printJson, printLine } from '../output';
import type { ParsedCommand } from '../parse-args';
import { resolveCliTarget } from '../resolve-cli-target';

export async function statusCommand({ options }: ParsedCommand): Promise<number> {
  const target = await resolveCliTarget(options);
  // Read-only: a bare connection, so a status check does not load Knex.
  const db = await openReadSession(target, { operation: 'status' });
  try {
    const status = await getStatus(db);
    if (options.json) printJson(status);
    else printLine(formatStatus(status));
    return 0;
  } finally {
    await db.close();
  }
}
