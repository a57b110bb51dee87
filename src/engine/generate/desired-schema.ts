/** The desired schema of `generate`/`check`: a reference database, a SQL schema file (run on the shadow), or the live database. */
import type { DesiredSource } from '../../shared/adopt';
import type { MigrationSettings } from '../../shared/profile';
import type { SchemaSnapshot } from '../../shared/schema';
import { type ConnectionTarget, databaseNameOf, redactUrl } from '../connection/connection-target';
import { targetForUrl } from '../connection/url-target';
import { type Db, openDatabase } from '../database/open-database';
import { introspectUserSchema } from '../drift/record-schema-snapshot';
import { StepstoneError, isStepstoneError } from '../errors';
import { introspectSchema } from '../schema';
import type { ShadowDatabase } from '../shadow/shadow-database';
import { ledgerExclusions } from '../adopt/shadow-schemas';
import { applySchemaFile, readSchemaFile, type SchemaFileStatement } from './schema-file';
import { assertNever } from '../../shared/assert-never';

/** A desired source made ready before any shadow is opened: bad input fails early, touching nothing. */
export type PreparedSource =
  | { kind: 'url'; target: ConnectionTarget; snapshot: SchemaSnapshot; description: string }
  | { kind: 'file'; path: string; statements: SchemaFileStatement[]; description: string }
  | { kind: 'drift'; snapshot: SchemaSnapshot; description: string };

/** Connects to a reference database (and reads it), checks a schema file, or reads the live schema. */
export async function prepareSource(source: DesiredSource, db: Db | null, settings: MigrationSettings): Promise<PreparedSource> {
  switch (source.kind) {
    case 'url': {
      const target = targetForUrl(source.url, 'reference', settings);
      const shown = redactUrl(source.url);
      let reference: Db;
      try {
        reference = await openDatabase(target, { operation: 'reference' });
      } catch (error) {
        const reason = isStepstoneError(error) ? `${error.message}` : String(error);
        throw new StepstoneError('REFERENCE_UNREACHABLE', `Could not connect to the reference database ${shown}: ${reason}`, {
          hint: isStepstoneError(error) && error.hint ? error.hint : 'Check the URL given to --from (user, password, host, port and database).',
          cause: error,
        });
      }
      try {
        const snapshot = await introspectSchema(reference.knex, { excludeTables: ledgerExclusions(settings) });
        return { kind: 'url', target, snapshot, description: `the reference database ${shown}` };
      } finally {
        await reference.close();
      }
    }
    case 'file':
      return { kind: 'file', path: source.path, statements: await readSchemaFile(source.path), description: `the schema file ${source.path}` };
    case 'drift': {
      if (!db) throw new StepstoneError('INVALID_INPUT', '--from-drift needs the database: give --db or --knexfile.', { hint: 'Or use --from <url> / --from-file <schema.sql>.' });
      return { kind: 'drift', snapshot: await introspectUserSchema(db), description: `the live database ${databaseNameOf(db.target)} (its changes made outside migrations)` };
    }
    default:
      return assertNever(source, 'desired source');
  }
}

/** The desired snapshot: read already, or the schema file run on the (empty) shadow, which is emptied again afterwards. */
export async function desiredSnapshot(prepared: PreparedSource, shadow: ShadowDatabase, settings: MigrationSettings): Promise<SchemaSnapshot> {
  if (prepared.kind !== 'file') return prepared.snapshot;
  await applySchemaFile(shadow.knex, prepared.path, prepared.statements);
  const snapshot = await introspectSchema(shadow.knex, { excludeTables: ledgerExclusions(settings) });
  await shadow.reset();
  return snapshot;
}
