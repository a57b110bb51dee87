/** Reading runs' evidence back: by history entry (History's expanded rows) or by migration (the detail pane). */
import type { AppliedEvidence, RunEvidence } from '../../shared/evidence';
import type { Db } from '../database/open-database';
import { existingTables, qualified } from '../ledger/ledger-tables';
import { decodeRunEvidence } from './run-evidence';

interface EvidenceRow {
  history_id: string | number;
  recorded_at: Date | string;
  evidence_gz: Uint8Array;
}

/** The evidence of history entry `historyId`, or null when none was kept (older runs, another tool). */
export async function readRunEvidence(db: Db, historyId: number): Promise<RunEvidence | null> {
  const present = await existingTables(db.knex, db.names, [db.names.evidence]);
  if (!present.has(db.names.evidence)) return null;
  const res = await db.knex.raw(`select history_id, recorded_at, evidence_gz from ${qualified(db.names, db.names.evidence)} where history_id = ?`, [historyId]);
  const row = res.rows[0] as EvidenceRow | undefined;
  return row ? decodeRunEvidence(Number(row.history_id), row.recorded_at, row.evidence_gz) : null;
}

/** The evidence of the latest run that applied `name` (and so the version applied now), or null. */
export async function readAppliedEvidence(db: Db, name: string): Promise<AppliedEvidence | null> {
  const present = await existingTables(db.knex, db.names, [db.names.evidence, db.names.history]);
  if (!present.has(db.names.evidence) || !present.has(db.names.history)) return null;
  const res = await db.knex.raw(
    `select h.id, h.started_at, h.operation, e.recorded_at, e.evidence_gz
       from ${qualified(db.names, db.names.history)} h
       join ${qualified(db.names, db.names.evidence)} e on e.history_id = h.id
      where h.steps @> ?::jsonb
      order by h.id desc limit 1`,
    [JSON.stringify([{ name, direction: 'up', outcome: 'applied' }])],
  );
  const row = res.rows[0] as { id: string | number; started_at: Date | string; operation: string; recorded_at: Date | string; evidence_gz: Uint8Array } | undefined;
  if (!row) return null;
  const run = decodeRunEvidence(Number(row.id), row.recorded_at, row.evidence_gz);
  const step = run?.steps.find((s) => s.name === name && s.direction === 'up');
  if (!run || !step) return null;
  return { run, step, startedAt: new Date(row.started_at).toISOString(), operation: row.operation };
}
