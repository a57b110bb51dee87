/**
 * What interrupted backups, restores and dry runs left: partial backup files and marked databases
 * on the target's server. A look (status) only reports them; a clean (backups, restore --cleanup)
 * also removes the stale ones — those whose writer or creator is gone.
 */
import type { Leftovers } from '../../shared/backup';
import type { ConnectionTarget } from '../connection/connection-target';
import type { EngineContext } from '../engine-context';
import { dropStaleDatabases, findMarkedDatabases } from '../shadow/leftover-databases';
import { closeQuietly, openCopySession } from './copy-session';
import { removeStalePartialFiles, scanPartialFiles } from './partial-files';

export async function readLeftovers(target: ConnectionTarget, backupsDir: string, context: EngineContext, options: { clean: boolean; onLog?: (message: string) => void }): Promise<Leftovers> {
  let partialFiles;
  let removedPartialFiles = 0;
  if (options.clean) {
    const swept = await removeStalePartialFiles(backupsDir, context.identity);
    partialFiles = swept.kept;
    removedPartialFiles = swept.removed.length;
  } else {
    partialFiles = await scanPartialFiles(backupsDir, context.identity);
  }
  if (target.profile.kind === 'embedded') return { partialFiles, removedPartialFiles, databases: [], droppedDatabases: [] };
  const client = await openCopySession(target, context, 'leftovers');
  try {
    if (!options.clean) return { partialFiles, removedPartialFiles, databases: await findMarkedDatabases(client, context.identity), droppedDatabases: [] };
    const { found, dropped } = await dropStaleDatabases(client, context.identity, options.onLog);
    return { partialFiles, removedPartialFiles, databases: found, droppedDatabases: dropped };
  } finally {
    await closeQuietly(client);
  }
}
