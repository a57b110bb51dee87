/**
 * Evidence of a run, written after it (outside its transactions) into `stepstone_run_evidence`:
 * the SQL each migration sent, the file's text as it ran, the log, and the schema change (the
 * schema recorded after the previous operation → after this run). Kept small: very long statement
 * lists and texts are cut, and the record is gzipped.
 */
import { promisify } from 'node:util';
import { gunzipSync, gzip } from 'node:zlib';
import type { Knex } from 'knex';
import type { CapturedStatement } from '../../shared/schema';
import type { EvidenceLogEntry, RunEvidence, StepEvidence } from '../../shared/evidence';
import type { SchemaDiff, SchemaSnapshot } from '../../shared/schema';
import { type LedgerNames, qualified } from '../ledger/ledger-tables';
import { diffSchemas } from '../schema/diff-schemas';

const gzipAsync = promisify(gzip);

const MAX_STATEMENTS = 500;
const MAX_TEXT = 200_000;
const MAX_BINDINGS_JSON = 4_000;

/** A statement as stored: its text and bindings cut when huge (a bulk insert of thousands of rows). */
function keptStatement(statement: CapturedStatement): { statement: CapturedStatement; cut: boolean } {
  const sql = statement.sql.length > MAX_TEXT ? `${statement.sql.slice(0, MAX_TEXT)} /* …cut */` : statement.sql;
  const bindingsCut = JSON.stringify(statement.bindings).length > MAX_BINDINGS_JSON;
  const bindings = bindingsCut ? [`(${statement.bindings.length} bindings, not kept)`] : statement.bindings;
  return { statement: { sql, bindings }, cut: sql !== statement.sql || bindingsCut };
}

/** A step's evidence from what the run captured; `source`: the file's text as it ran. */
export function stepEvidence(step: Omit<StepEvidence, 'source' | 'statements' | 'truncated'>, source: string | null, statements: CapturedStatement[]): StepEvidence {
  const kept = statements.slice(0, MAX_STATEMENTS).map(keptStatement);
  const sourceCut = source !== null && source.length > MAX_TEXT;
  return {
    ...step,
    source: sourceCut ? source!.slice(0, MAX_TEXT) : source,
    statements: kept.map((k) => k.statement),
    truncated: statements.length > MAX_STATEMENTS || kept.some((k) => k.cut) || sourceCut,
  };
}

/** The run's schema change: the previous recorded schema → this run's. */
export function runSchemaChange(before: SchemaSnapshot | null, after: SchemaSnapshot | null): { schemaChange: SchemaDiff | null; schemaChangeNote: string } {
  if (!after) return { schemaChange: null, schemaChangeNote: 'Nothing was applied or reverted, so the schema did not change.' };
  if (!before) return { schemaChange: null, schemaChangeNote: 'No schema was recorded before this run (its first Stepstone operation), so there is nothing to compare with.' };
  return {
    schemaChange: diffSchemas(before, after),
    schemaChangeNote: 'From the schema recorded after the previous operation to the schema this run left (changes made outside migrations in between would show here too).',
  };
}

/** A run's evidence as stored: JSON, gzipped (off the main thread: it is made while the history row is written). */
export async function encodeRunEvidence(body: Omit<RunEvidence, 'historyId' | 'recordedAt'>): Promise<Buffer> {
  return gzipAsync(JSON.stringify(body), { level: 1 });
}

/** Store a run's encoded evidence under its history id (replacing any, e.g. a retried write). */
export async function writeRunEvidence(knex: Knex, names: LedgerNames, historyId: number, gz: Buffer): Promise<void> {
  await knex.raw(
    `insert into ${qualified(names, names.evidence)} (history_id, evidence_gz) values (?, ?)
     on conflict (history_id) do update set evidence_gz = excluded.evidence_gz, recorded_at = now()`,
    [historyId, gz],
  );
}

/** Decode a stored record. */
export function decodeRunEvidence(historyId: number, recordedAt: Date | string, gz: Uint8Array): RunEvidence | null {
  try {
    const body = JSON.parse(gunzipSync(gz).toString('utf8')) as Omit<RunEvidence, 'historyId' | 'recordedAt'>;
    return { historyId, recordedAt: new Date(recordedAt).toISOString(), ...body };
  } catch {
    return null; // unreadable: as if none was kept
  }
}

export type { EvidenceLogEntry };
