/** Knex's migration lock and who holds it, as a zod schema plus its inferred type. */
import { z } from 'zod';

export const LockHolder = z.object({
  pid: z.number().int(),
  applicationName: z.string(),
  user: z.string().nullable(),
  clientAddress: z.string().nullable(),
  since: z.string().nullable(),
});
export type LockHolder = z.infer<typeof LockHolder>;

/**
 * Knex's lock row plus what the server says about who holds it, by `state`: `free`; `live`: a running
 * process holds it (its holders listed); `stale`: the row says locked but nobody holds it (a crash).
 * `locked` follows from the state (kept for `status --json` readers), never set on its own.
 */
export const LockState = z.discriminatedUnion('state', [
  z.object({ state: z.literal('free'), locked: z.literal(false), holders: z.tuple([]) }),
  z.object({ state: z.literal('live'), locked: z.literal(true), holders: z.array(LockHolder).min(1) }),
  z.object({ state: z.literal('stale'), locked: z.literal(true), holders: z.tuple([]) }),
]);
export type LockState = z.infer<typeof LockState>;
