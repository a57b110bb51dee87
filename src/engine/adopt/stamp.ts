/**
 * `stamp <name> | --head`: mark migrations as applied without running them, for a database built
 * before the folder was adopted (or by another tool) — only when those migrations, run on a shadow
 * database, give exactly the live schema; otherwise refuse and list the differences (`--force`
 * records them and stamps anyway).
 */
import type { StampResult } from '../../shared/adopt';
import type { Db } from '../database/open-database';
import { introspectUserSchema, recordSchemaSnapshot } from '../drift/record-schema-snapshot';
import { assertHasMigrations } from '../migrations/list-migration-files';
import { renderSchemaDiff } from '../schema';
import { loadEntries, selectUpTo } from '../shadow/apply-migrations';
import { withShadowDatabase } from '../shadow/shadow-database';
import { readStatus } from '../status/get-status';
import { compareSchemas } from '../generate/compare-schemas';
import { buildMigrationsSchema } from './shadow-schemas';
import { recordStamp } from './record-stamp';

export interface StampRequest {
  /** The last migration to mark (a file name, with or without extension); null for every file (--head). */
  to: string | null;
  force?: boolean;
  shadowUrl?: string;
  onProgress?: (message: string) => void;
  onLog?: (message: string) => void;
  /** Called with what is about to be recorded; a throw stops it (the CLI's confirmation). */
  beforeWrite?: (preview: StampResult) => Promise<void>;
}

export async function stampMigrations(db: Db, request: StampRequest): Promise<StampResult> {
  const startedAt = db.context.now();
  const { status, files } = await readStatus(db);
  assertHasMigrations(files, db.settings);
  const selected = selectUpTo(files, request.to ?? undefined, db.settings);
  const applied = new Set(status.applied.map((a) => a.name));
  const toStamp = selected.filter((f) => !applied.has(f.name));
  if (toStamp.length === 0) {
    return { status: 'nothing-to-stamp', migrations: [], differences: [], shadow: null, forced: false, batch: null, historyId: null };
  }
  const migrations = await loadEntries(selected);
  const live = await introspectUserSchema(db);
  return withShadowDatabase({ server: db.target, shadowUrl: request.shadowUrl, protect: [db.target], purpose: 'stamp', onLog: request.onLog, context: db.context }, async (shadow) => {
    const built = await buildMigrationsSchema(shadow, migrations, db.settings, request.onProgress);
    const comparison = compareSchemas(live, built);
    const differences = comparison.differences.length ? renderSchemaDiff({ changes: comparison.differences }).split('\n') : [];
    const unsupported = live.unsupported.map((u) => `not comparable (introspection cannot capture it): ${u}`);
    const names = toStamp.map((f) => f.name);
    const forced = differences.length > 0 && request.force === true;
    const result: StampResult = { status: 'refused', migrations: names, differences, shadow: shadow.description, forced, batch: null, historyId: null };
    if (differences.length > 0 && !forced) return result;
    await request.beforeWrite?.(result);
    const checksums = new Map(migrations.map((m) => [m.name, m.checksum]));
    const stamp = await recordStamp(db, {
      operation: 'stamp',
      entries: names.map((name) => ({ name, checksum: checksums.get(name)! })),
      startedAt,
      details: { kind: 'stamp', to: request.to ?? 'head', forced, differences, unsupported },
    });
    await recordSchemaSnapshot(db, { historyId: stamp.historyId, head: stamp.head }, Promise.resolve(live)).catch(() => undefined);
    return { ...result, status: 'stamped', batch: stamp.batch, historyId: stamp.historyId };
  });
}
