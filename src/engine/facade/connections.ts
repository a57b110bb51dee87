/** Façade: reaching a database — URLs, targets with their passwords, connection tests, sessions. */
import type { Confirmation } from '../../shared/plan';
import type { Profile, TestConnectionResult } from '../../shared/profile';
import { type ConnectionTarget, connectionFields, databaseNameOf, parsePostgresUrl, redactUrl } from '../connection/connection-target';
import type { EngineContext } from '../engine-context';
import type { SecretSource } from '../profiles/resolve-target';
import { confirmationFor, requireConfirmation } from '../profiles/confirmation';
import type { DbSession } from './session';

/** The connection operations of `createEngine`. */
export function connectionOperations(context: EngineContext) {
  return {
    /** A postgres:// URL's fields; URL_MALFORMED naming what is wrong. */
    parseDatabaseUrl: (url: string) => parsePostgresUrl(url),

    /** Where a profile connects (host, port, database) for labels, from its URL or its fields; null for the embedded demo or a profile that cannot say. */
    endpointOf(profile: Profile): { host: string; port: number; database: string } | null {
      if (profile.kind === 'embedded') return null;
      try {
        const { host, port, database } = connectionFields({ profile });
        return { host, port, database };
      } catch {
        return null; // a malformed URL gets its own error when the profile is used
      }
    },

    /** The URL with its password masked, for messages and labels. */
    redactUrl: (url: string): string => redactUrl(url),

    /** The database name a production confirmation must match (the embedded demo's folder name). */
    databaseNameOf: (target: ConnectionTarget): string => databaseNameOf(target),

    /** What a change to the target's database asks of the user: its name typed (production) or a click. The one rule. */
    confirmationFor: (target: ConnectionTarget): Confirmation => confirmationFor(target),

    /** CONFIRMATION_REQUIRED unless `given` satisfies `confirmationFor(target)`; `action` names the change ("a restore"). */
    requireConfirmation: (target: ConnectionTarget, given: string | undefined, action: string): void => requireConfirmation(target, given, action),

    /** A profile plus its password, found where the profile says (session, keychain, environment, knexfile). */
    async resolveTarget(profile: Profile, secrets: SecretSource): Promise<ConnectionTarget> {
      const { resolveTarget } = await import('../profiles/resolve-target');
      return resolveTarget(profile, secrets, context.env);
    },

    /** Connect, read the server's version, database and user, disconnect; classified errors within the timeout. */
    async testConnection(target: ConnectionTarget, options: { timeoutMs: number }): Promise<TestConnectionResult> {
      const { testConnection } = await import('../connection/test-connection');
      return testConnection(target, { timeoutMs: options.timeoutMs, context });
    },

    /** Open a session on the target for one operation (named in its application_name); connection failures are typed. */
    async openDatabase(target: ConnectionTarget, options: { operation: string }): Promise<DbSession> {
      const { openDatabase } = await import('../database/open-database');
      return openDatabase(target, { operation: options.operation, context });
    },

    /** A read-only session (status only): one bare connection, without loading Knex. */
    async openReadSession(target: ConnectionTarget, options: { operation: string }): Promise<DbSession> {
      const { openReadSession } = await import('../database/read-session');
      return openReadSession(target, { operation: options.operation, context });
    },
  };
}
