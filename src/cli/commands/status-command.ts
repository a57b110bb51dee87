/** `stepstone status`: read-only. */
import { cliEngine } from '../cli-engine';
import { formatStatus } from '../format';
import { printJson, printLine } from '../output';
import type { ParsedCommand } from '../parse-args';
import { resolveCliTarget } from '../resolve-cli-target';

export async function statusCommand({ options }: ParsedCommand): Promise<number> {
  const engine = cliEngine();
  const target = await resolveCliTarget(engine, options);
  // Read-only: a bare connection, so a status check does not load Knex.
  const db = await engine.openReadSession(target, { operation: 'status' });
  try {
    const status = await engine.getStatus(db);
    if (options.json) printJson(status);
    else printLine(formatStatus(status));
    return 0;
  } finally {
    await db.close();
  }
}
