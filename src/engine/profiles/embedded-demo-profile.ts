/** The built-in demo connection: an embedded PGlite database in the data folder, nothing to install. */
import { join, resolve } from 'node:path';
import type { Profile } from '../../shared/profile';

/** Id of the built-in demo profile (never saved to profiles.json). */
export const DEMO_PROFILE_ID = 'demo';

/** The demo profile: PGlite on disk at `<dataDir>/demo-db`, migrations from `migrationsDir`. */
export function embeddedDemoProfile(dataDir: string, migrationsDir: string): Profile {
  return {
    id: DEMO_PROFILE_ID,
    name: 'Demo (embedded)',
    environment: 'local',
    kind: 'embedded',
    database: join(dataDir, 'demo-db'),
    passwordSource: 'none',
    migrations: { directories: [resolve(migrationsDir)], tableName: 'knex_migrations' },
    transactionMode: 'knex',
    // A throwaway local database: a backup before each run would only slow the demo down.
    backupBeforeMigrate: false,
    readOnly: false,
  };
}
