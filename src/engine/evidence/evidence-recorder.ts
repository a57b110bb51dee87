/**
 * Collects a run's evidence while it runs (every progress event with its time, the statements each
 * step sent) and writes it once the run is in the history.
 */
import { gunzipSync } from 'node:zlib';
import type { Plan } from '../../shared/plan';
import type { ProgressEvent, StepResult } from '../../shared/run';
import type { EvidenceLogEntry } from '../../shared/evidence';
import type { CapturedStatement, SchemaSnapshot } from '../../shared/schema';
import type { Db } from '../database/open-database';
import { existingTables, qualified } from '../ledger/ledger-tables';
import { encodeRunEvidence, runSchemaChange, stepEvidence } from './run-evidence';

export interface EvidenceRecorder {
  onEvent(event: ProgressEvent): void;
  onStatements(index: number, statements: CapturedStatement[]): void;
  /**
   * The evidence, encoded for `writeRunEvidence`: made while the run's history row is written.
   * `sources`: each migration's text as it ran; `before`/`after`: the schema recorded before the run and the one it left.
   */
  seal(run: { plan: Plan; results: StepResult[]; sources: Map<string, string>; before: SchemaSnapshot | null; after: SchemaSnapshot | null }): Promise<Buffer>;
}

/** A recorder for one run. */
export function evidenceRecorder(): EvidenceRecorder {
  // The time as a number while the run goes (made per event, thousands of them); as text when sealed.
  const log: Array<{ atMs: number; event: ProgressEvent }> = [];
  const statements = new Map<number, CapturedStatement[]>();
  return {
    onEvent(event) {
      log.push({ atMs: Date.now(), event });
    },
    onStatements(index, sent) {
      statements.set(index, sent);
    },
    seal({ plan, results, sources, before, after }) {
      const steps = results
        .map((result, position) => ({ result, position }))
        .filter(({ result, position }) => result.outcome !== 'skipped' || statements.has(position))
        .map(({ result, position }) =>
          stepEvidence(
            { position, name: result.name, direction: plan.steps[position]?.direction ?? result.direction, outcome: result.outcome },
            sources.get(result.name) ?? null,
            statements.get(position) ?? [],
          ),
        );
      const entries: EvidenceLogEntry[] = log.map(({ atMs, event }) => ({ at: new Date(atMs).toISOString(), event }));
      return encodeRunEvidence({ steps, log: entries, ...runSchemaChange(before, after) });
    },
  };
}

/** The newest recorded schema snapshot (before this run records its own), read without validation: Stepstone wrote it. */
export async function previousSnapshot(db: Db): Promise<SchemaSnapshot | null> {
  const present = await existingTables(db.knex, db.names, [db.names.snapshots]);
  if (!present.has(db.names.snapshots)) return null;
  const res = await db.knex.raw(`select snapshot_gz from ${qualified(db.names, db.names.snapshots)} order by id desc limit 1`);
  const row = res.rows[0] as { snapshot_gz: Uint8Array } | undefined;
  if (!row) return null;
  try {
    return JSON.parse(gunzipSync(row.snapshot_gz).toString('utf8')) as SchemaSnapshot;
  } catch {
    return null;
  }
}
