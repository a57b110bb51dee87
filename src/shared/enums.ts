/**
 * Enum values the zod schemas are built from, importable without zod: the CLI's start-up reads
 * them and must stay light (zod loads only when a command validates something). Everything else
 * reads them from the schemas' `.options`.
 */

/** Environment tags of a profile, least to most careful. */
export const ENVIRONMENTS = ['local', 'development', 'staging', 'production'] as const;
