// Knex configuration for the sample project in ./migrations (the chat app of the migration guide Stepstone grew from).
//
// The knex CLI loads this TypeScript file through a TypeScript loader preloaded into Node, e.g. tsx
// (the project's own):
//   NODE_OPTIONS='--import tsx' npx knex migrate:latest
//   node --import tsx node_modules/knex/bin/cli.js migrate:latest --knexfile knexfile.ts
// Pick the environment with `--env staging` / `--env production` or NODE_ENV (default: development).
import type { Knex } from 'knex';

const migrations: Knex.MigratorConfig = {
  directory: './migrations',
  extension: 'ts',
  tableName: 'knex_migrations',
};

const config: Record<'development' | 'staging' | 'production', Knex.Config> = {
  development: {
    client: 'pg',
    connection: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/stepstone_dev',
    migrations,
  },
  // Staging and production take their URL from the deploy environment only; no fallback host is invented.
  // Unset leaves the connection undefined: knex then stops with "Unable to acquire a connection" (it does not
  // fall back to PGHOST/PGUSER or localhost), so a forgotten variable never migrates the wrong database.
  staging: {
    client: 'pg',
    connection: process.env.STAGING_DATABASE_URL,
    pool: { min: 0, max: 5 },
    migrations,
  },
  production: {
    client: 'pg',
    connection: process.env.PRODUCTION_DATABASE_URL,
    pool: { min: 0, max: 10 },
    migrations,
  },
};

export default config;
