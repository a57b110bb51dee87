/**
 * Enum values the zod schemas are built from, importable without zod: the CLI's start-up reads
 * them and must stay light (zod loads only when a command validates something), and so does the
 * renderer's first screen (zod is loaded after it: see src/renderer/api/http-client.ts).
 */

/** Environment tags of a profile, least to most careful. */
export const ENVIRONMENTS = ['local', 'development', 'staging', 'production'] as const;

/** libpq-style SSL modes, plus `no-verify` (TLS without certificate checks). */
export const SSL_MODES = ['disable', 'prefer', 'require', 'no-verify', 'verify-ca', 'verify-full'] as const;

/** How a finished run ended. */
export const FINISHED_OUTCOMES = ['succeeded', 'failed', 'cancelled'] as const;

/** A history row's outcome: how it ended, or still running, or interrupted (killed or cut off). */
export const RUN_OUTCOMES = [...FINISHED_OUTCOMES, 'running', 'interrupted'] as const;
