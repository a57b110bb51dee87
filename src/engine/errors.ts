/**
 * Typed engine errors: a code the UI and CLI switch on, a human message naming the cause,
 * and a hint saying what to do. Mapped once to `ErrorInfo` at the contract edge.
 */
import type { ErrorInfo } from '../shared/error-info';
import { type ErrorCode, errorInfo } from '../shared/errors';

export type { ErrorCode };

export interface StepstoneErrorOptions {
  hint?: string;
  migration?: string;
  cause?: unknown;
}

/** The one error type the engine throws on purpose. */
export class StepstoneError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;
  readonly migration?: string;

  constructor(code: ErrorCode, message: string, options: StepstoneErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StepstoneError';
    this.code = code;
    this.hint = options.hint;
    this.migration = options.migration;
  }
}

export function isStepstoneError(error: unknown): error is StepstoneError {
  return error instanceof StepstoneError;
}

/** The plain message of anything thrown (database errors included). */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Serialisable form for the contract edge and the CLI's JSON; unknown errors become INTERNAL. */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (isStepstoneError(error)) return errorInfo(error.code, error.message, { hint: error.hint, migration: error.migration });
  return errorInfo('INTERNAL', messageOf(error));
}
