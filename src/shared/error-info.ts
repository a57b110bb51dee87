/**
 * A typed error as it crosses an edge (engine ⇄ service ⇄ renderer, CLI JSON), as a zod schema plus
 * its inferred type. The codes and the one maker of the value are in errors.ts, which stays free of zod.
 */
import { z } from 'zod';
import { ERROR_CODES } from './errors';

/** Every code an error can carry (src/shared/errors.ts holds the list and the one maker of ErrorInfo). */
export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** A typed error as it crosses an edge: a code to switch on, the cause in words, what to do. */
export const ErrorInfo = z.object({
  code: ErrorCode,
  message: z.string(),
  hint: z.string().optional(),
  migration: z.string().optional(),
});
export type ErrorInfo = z.infer<typeof ErrorInfo>;
