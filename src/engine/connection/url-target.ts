/** A connection target for a database given only by URL (a reference database, a named shadow). */
import type { MigrationSettings } from '../../shared/profile';
import { type ConnectionTarget, connectionFields, parsePostgresUrl } from './connection-target';

/** A transient profile for `url`; `migrations` only matters when migrations run through it. */
export function targetForUrl(url: string, label: string, migrations?: MigrationSettings): ConnectionTarget {
  parsePostgresUrl(url); // URL_MALFORMED before anything else
  return {
    profile: {
      id: `url:${label}`,
      name: label,
      environment: 'development',
      kind: 'postgres',
      url,
      passwordSource: 'none',
      migrations: migrations ?? { directories: ['migrations'], tableName: 'knex_migrations' },
      transactionMode: 'knex',
      backupBeforeMigrate: false,
      readOnly: false,
    },
  };
}

/** True when both targets name the same database on the same server (host, port and name). */
export function sameDatabase(a: ConnectionTarget, b: ConnectionTarget): boolean {
  if (a.profile.kind === 'embedded' || b.profile.kind === 'embedded') {
    return a.profile.kind === b.profile.kind && a.profile.database === b.profile.database;
  }
  const x = connectionFields(a);
  const y = connectionFields(b);
  const host = (h: string) => (h === 'localhost' || h === '::1' ? '127.0.0.1' : h.toLowerCase());
  return host(x.host) === host(y.host) && x.port === y.port && x.database === y.database;
}
