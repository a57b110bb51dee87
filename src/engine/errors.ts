/**
 * Typed engine errors: a code the UI and CLI switch on, a human message naming the cause,
 * and a hint saying what to do. Mapped once to `ErrorInfo` at the contract edge.
 */
import type { ErrorInfo } from '../shared/domain';

export type ErrorCode =
  // connection
  | 'URL_MALFORMED'
  | 'HOST_UNREACHABLE'
  | 'CONNECTION_REFUSED'
  | 'CONNECTION_TIMEOUT'
  | 'AUTH_FAILED'
  | 'DATABASE_MISSING'
  | 'TLS_FAILED'
  | 'CONNECTION_FAILED'
  /** The server closed a connection while an operation ran on it (pg_terminate_backend, a restart). */
  | 'CONNECTION_LOST'
  | 'PASSWORD_REQUIRED'
  | 'UNSUPPORTED_CLIENT'
  // project and files
  | 'CONFIG_INVALID'
  | 'KNEXFILE_NOT_FOUND'
  | 'KNEXFILE_INVALID'
  | 'ENVIRONMENT_NOT_FOUND'
  | 'PROFILE_NOT_FOUND'
  | 'MIGRATIONS_DIR_MISSING'
  | 'MIGRATIONS_DIR_EMPTY'
  | 'MIGRATION_LOAD_FAILED'
  | 'MIGRATION_INVALID'
  | 'MIGRATION_NOT_FOUND'
  | 'MIGRATION_EXISTS'
  | 'FILE_EXISTS'
  // plans and runs
  | 'MIGRATIONS_MISSING'
  | 'TARGET_NOT_APPLIED'
  | 'NOTHING_TO_DO'
  | 'PLAN_STALE'
  | 'MIGRATION_FAILED'
  | 'CANCELLED'
  | 'CONFIRMATION_REQUIRED'
  | 'READ_ONLY'
  // lock
  | 'LOCKED'
  | 'LOCK_LIVE'
  | 'NOT_LOCKED'
  // backups, schema
  | 'BACKUP_FAILED'
  | 'BACKUP_NOT_FOUND'
  | 'BACKUP_CORRUPT'
  | 'RESTORE_FAILED'
  | 'DATABASE_NOT_EMPTY'
  | 'BACKUP_REQUIRED'
  | 'DRY_RUN_BUSY'
  | 'STAGING_REQUIRED'
  | 'DRY_RUN_FAILED'
  // shadow databases, baseline, stamp, generate, check
  | 'SHADOW_UNAVAILABLE'
  | 'SHADOW_NOT_EMPTY'
  | 'ALREADY_ADOPTED'
  | 'SCHEMA_FILE_INVALID'
  | 'REFERENCE_UNREACHABLE'
  | 'INVALID_INPUT'
  | 'INTERNAL';

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
  if (isStepstoneError(error)) {
    return {
      code: error.code,
      message: error.message,
      ...(error.hint ? { hint: error.hint } : {}),
      ...(error.migration ? { migration: error.migration } : {}),
    };
  }
  return { code: 'INTERNAL', message: messageOf(error) };
}
