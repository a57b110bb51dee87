/** Drift: what changed in the schema outside migrations since Stepstone last recorded it. */
import type { DriftReport } from '../../shared/schema';
import type { Db } from '../database/open-database';
import { readLedger } from '../ledger/read-ledger';
import { headOf } from '../migrations/list-migration-files';
import { diffSchemas } from '../schema';
import { introspectUserSchema, latestSchemaSnapshot } from './record-schema-snapshot';

/** Compares the live schema with the latest recorded snapshot; no snapshot → not drifted, `recordedAt: null`. */
export async function detectDrift(db: Db): Promise<DriftReport> {
  const recorded = await latestSchemaSnapshot(db);
  const ledger = await readLedger(db.knex, db.names);
  const currentHead = headOf(ledger.rows.map((r) => r.name));
  if (!recorded) return { recordedAt: null, head: null, currentHead, drifted: false, diff: { changes: [] } };
  const live = await introspectUserSchema(db);
  const diff = diffSchemas(recorded.snapshot, live);
  return { recordedAt: recorded.recordedAt, head: recorded.head, currentHead, drifted: diff.changes.length > 0, diff };
}
