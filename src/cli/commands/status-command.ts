/** `stepstone status`: read-only. */
import { openDatabase } from '../../engine/database/open-database';
import { getStatus } from '../../engine/status/get-status';
import { formatStatus } from '../format';
import { printJson, printLine } from '../output';
import type { ParsedCommand } from '../parse-args';
import { resolveCliTarget } from '../resolve-cli-target';

export async function statusCommand({ options }: ParsedCommand): Promise<number> {
  const target = await resolveCliTarget(options);
  const db = await openDatabase(target, { operation: 'status' });
  try {
    const status = await getStatus(db);
    if (options.json) printJson(status);
    else printLine(formatStatus(status));
    return 0;
  } finally {
    await db.close();
  }
}
