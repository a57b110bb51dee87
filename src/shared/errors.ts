/**
 * The error vocabulary of every layer (engine, service, shells, renderer): the one list of codes and
 * the one maker of `ErrorInfo`. No zod here, so the renderer's first screen and the CLI's start-up can
 * make errors without loading it; `error-info.ts` builds the `ErrorCode` schema from this list.
 */
import type { ErrorInfo } from './error-info';

/** Every code an `ErrorInfo` can carry. A new code is added here, nowhere else. */
export const ERROR_CODES = [
  // connection
  'URL_MALFORMED',
  'HOST_UNREACHABLE',
  'CONNECTION_REFUSED',
  'CONNECTION_TIMEOUT',
  'AUTH_FAILED',
  'DATABASE_MISSING',
  'TLS_FAILED',
  'CONNECTION_FAILED',
  /** The server closed a connection while an operation ran on it (pg_terminate_backend, a restart). */
  'CONNECTION_LOST',
  'PASSWORD_REQUIRED',
  'UNSUPPORTED_CLIENT',
  // project and files
  'CONFIG_INVALID',
  'KNEXFILE_NOT_FOUND',
  'KNEXFILE_INVALID',
  'ENVIRONMENT_NOT_FOUND',
  'PROFILE_NOT_FOUND',
  'MIGRATIONS_DIR_MISSING',
  'MIGRATIONS_DIR_EMPTY',
  'MIGRATION_LOAD_FAILED',
  'MIGRATION_INVALID',
  'MIGRATION_NOT_FOUND',
  'MIGRATION_EXISTS',
  'FILE_EXISTS',
  // plans and runs
  'MIGRATIONS_MISSING',
  'TARGET_NOT_APPLIED',
  'NOTHING_TO_DO',
  'PLAN_STALE',
  'MIGRATION_FAILED',
  'CANCELLED',
  'CONFIRMATION_REQUIRED',
  'READ_ONLY',
  // lock
  'LOCKED',
  'LOCK_LIVE',
  'NOT_LOCKED',
  // interrupted non-transactional migrations: none to repair, or not the repair their state allows
  'NOT_INTERRUPTED',
  'REPAIR_UNAVAILABLE',
  // backups, schema
  'BACKUP_FAILED',
  'BACKUP_NOT_FOUND',
  'BACKUP_CORRUPT',
  'RESTORE_FAILED',
  'DATABASE_NOT_EMPTY',
  'BACKUP_REQUIRED',
  'DRY_RUN_BUSY',
  'STAGING_REQUIRED',
  'DRY_RUN_FAILED',
  // shadow databases, baseline, stamp, generate, check
  'SHADOW_UNAVAILABLE',
  'SHADOW_NOT_EMPTY',
  'ALREADY_ADOPTED',
  'SCHEMA_FILE_INVALID',
  'REFERENCE_UNREACHABLE',
  // the edges: a frame the desktop shell refuses, an API route web mode does not have, a page without its token
  'FORBIDDEN',
  'NOT_FOUND',
  'UNAUTHORISED',
  // the renderer's clients: the web server or the app's main process did not answer (or not readably)
  'SERVER_UNREACHABLE',
  'BAD_RESPONSE',
  'IPC_FAILED',
  // the renderer's own refusals: no connection open, a migration the dry run did not cover, a baseline that no longer verifies
  'NO_PROFILE',
  'NO_PREVIEW',
  'NOT_VERIFIED',
  // any layer
  'INVALID_INPUT',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** What an error adds to its code and message: what to do, and the migration it concerns. */
export interface ErrorDetails {
  hint?: string;
  migration?: string;
}

/** The one maker of `ErrorInfo`: empty details are left out, so the value is the same whoever makes it. */
export function errorInfo(code: ErrorCode, message: string, details: ErrorDetails = {}): ErrorInfo {
  return {
    code,
    message,
    ...(details.hint ? { hint: details.hint } : {}),
    ...(details.migration ? { migration: details.migration } : {}),
  };
}
