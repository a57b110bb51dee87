// A temporary database a command-line run dropped in the background (plan, sql, verify).
import { query, serverUrl } from './database';

/**
 * The command line answers once its scratch or shadow database's DROP is sent, not when the server
 * has done it (temporary-database.ts, sendDrop): the server may still be dropping it (waiting for
 * its checkpoint) when the process has ended. True once it is gone; false if it is still there with
 * no DROP of it running on the server.
 */
export async function droppedByTheServer(name: string): Promise<boolean> {
  for (let quiet = 0; quiet < 20; ) {
    const [row] = await query<{ present: boolean; dropping: boolean }>(
      serverUrl(),
      `select exists (select 1 from pg_database where datname = $1) as present,
              exists (select 1 from pg_stat_activity where state = 'active' and query ilike 'drop database%' and strpos(query, $1) > 0) as dropping`,
      [name],
    );
    if (!row.present) return true;
    // The statement may not have reached its session yet: a short grace before "nobody drops it".
    quiet = row.dropping ? 0 : quiet + 1;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}
