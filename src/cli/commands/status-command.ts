/** `stepstone status`: read-only. */
import { cliEngine } from '../cli-engine';
import { cliBackupPlace } from '../backup-place';
import { formatLeftovers, formatStatus } from '../format';
import { printJson, printLine } from '../output';
import type { ParsedCommand } from '../parse-args';
import { resolveCliTarget } from '../resolve-cli-target';

export async function statusCommand({ options }: ParsedCommand): Promise<number> {
  const engine = cliEngine();
  const target = await resolveCliTarget(engine, options);
  // Read-only: a bare connection, so a status check does not load Knex.
  const db = await engine.openReadSession(target, { operation: 'status' });
  // What killed backups, restores and dry runs left: reported here (read-only), removed by `backups`
  // or `restore --cleanup`. Looked for on its own connection while the status is read.
  const looking = engine.leftovers(target, cliBackupPlace(options), { clean: false }).catch(() => null);
  try {
    const status = await engine.getStatus(db);
    const leftovers = await looking;
    if (options.json) printJson({ ...status, leftovers });
    else {
      printLine(formatStatus(status));
      const text = leftovers ? formatLeftovers(leftovers) : '';
      if (text) printLine(`\n${text}`);
    }
    return 0;
  } finally {
    await db.close();
  }
}
