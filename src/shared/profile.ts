/**
 * A saved connection (profile) and its settings: environment, TLS, transaction mode, where the
 * migrations are; and what testing a connection reports. Zod schemas plus their inferred types.
 */
import { z } from 'zod';
import { ENVIRONMENTS, SSL_MODES } from './enums';

/** Environment tag of a profile; drives colour and safety rules (production is strict). */
export const Environment = z.enum(ENVIRONMENTS);
export type Environment = z.infer<typeof Environment>;

/** libpq-style SSL modes, plus `no-verify` (TLS without certificate checks). */
export const SslMode = z.enum(SSL_MODES);
export type SslMode = z.infer<typeof SslMode>;

/** How a plan is wrapped in transactions. `knex`: one for the whole plan unless a migration opts out (Knex's default). */
export const TransactionMode = z.enum(['knex', 'per-migration']);
export type TransactionMode = z.infer<typeof TransactionMode>;

/** Where Knex keeps its ledger and where the migration files are. */
export const MigrationSettings = z.object({
  /** Absolute folders holding migration files (Knex accepts several). */
  directories: z.array(z.string().min(1)).min(1),
  tableName: z.string().min(1).default('knex_migrations'),
  schemaName: z.string().min(1).optional(),
  /** File extensions Knex would load; defaults to Knex's own list plus TypeScript/ESM variants. */
  loadExtensions: z.array(z.string()).optional(),
  sortDirsSeparately: z.boolean().optional(),
  /** The knexfile's `migrations.extension` (e.g. 'js'), else the knexfile's own extension as knex migrate:make takes it: what `new`, `baseline` and `generate` write when no language is asked for. */
  extension: z.string().min(1).optional(),
});
export type MigrationSettings = z.infer<typeof MigrationSettings>;

/** A saved connection. Never carries a password: secrets live in the shell's keychain or come from the environment. */
export const Profile = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  environment: Environment,
  kind: z.enum(['postgres', 'embedded']).default('postgres'),
  /** postgres:// URL without its password (fields below are used when absent). */
  url: z.string().optional(),
  host: z.string().optional(),
  port: z.number().int().min(1).max(65535).optional(),
  user: z.string().optional(),
  database: z.string().optional(),
  sslMode: SslMode.optional(),
  /** Where the password comes from when one is needed. */
  passwordSource: z.enum(['none', 'keychain', 'env', 'prompt', 'knexfile']).default('none'),
  /** Name of the environment variable holding the password, for `passwordSource: env`. */
  passwordEnv: z.string().optional(),
  migrations: MigrationSettings,
  transactionMode: TransactionMode.default('knex'),
  /** Take a backup before every upgrade and rollback (always on for production). */
  backupBeforeMigrate: z.boolean().default(true),
  readOnly: z.boolean().default(false),
  /** Table sizes at or above which lint reports a blocking statement as an error (default 100,000 rows or 100 MB). */
  lintThresholds: z.object({ rows: z.number().int().min(0).optional(), bytes: z.number().int().min(0).optional() }).optional(),
  /** Set when the profile came from a project's knexfile. */
  source: z.object({ knexfile: z.string(), env: z.string() }).optional(),
});
export type Profile = z.infer<typeof Profile>;
export type ProfileInput = z.input<typeof Profile>;

export const TestConnectionResult = z.object({
  serverVersion: z.string(),
  database: z.string(),
  user: z.string(),
  latencyMs: z.number(),
});
export type TestConnectionResult = z.infer<typeof TestConnectionResult>;
