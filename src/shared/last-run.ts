/** The summary of a database's last recorded run, shared by the promotion guard and compare. */
import { z } from 'zod';

/** The last upgrade or rollback Stepstone recorded on a database. */
export const LastRun = z.object({
  historyId: z.number().int(),
  operation: z.string(),
  outcome: z.string(),
  startedAt: z.string(),
  headAfter: z.string().nullable(),
});
export type LastRun = z.infer<typeof LastRun>;
