/**
 * Proves a generated migration before it is written: the file's own text is loaded as the engine
 * loads migrations and run on the shadow database (which holds the current schema): `up` must give
 * the desired schema, `down` the current one again (and, for a baseline, `up` once more the desired).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DirectionCheck, Verification } from '../../shared/adopt';
import type { SchemaSnapshot } from '../../shared/schema';
import { messageOf } from '../errors';
import { loadMigration } from '../migrations/load-migration';
import { introspectSchema, renderSchemaDiff } from '../schema';
import { applyMigrations } from '../shadow/apply-migrations';
import type { ShadowDatabase } from '../shadow/shadow-database';
import { compareSchemas } from './compare-schemas';

export type { DirectionCheck, Verification };

const NOT_RUN: DirectionCheck = { status: 'not-run', differences: [], error: null };

export interface VerifyRequest {
  shadow: ShadowDatabase;
  fileName: string;
  content: string;
  current: SchemaSnapshot;
  desired: SchemaSnapshot;
  /** The message `down` throws when it refuses by design (irreversible changes). */
  irreversibleDown: string | null;
  upAgain?: boolean;
  excludeTables?: string[];
  onStep?: (message: string) => void;
}

/** Runs the file on the shadow (left holding whatever the last direction produced). */
export async function verifyMigration(request: VerifyRequest): Promise<Verification> {
  const folder = await mkdtemp(join(tmpdir(), 'stepstone-verify-'));
  const notes: string[] = [];
  try {
    const path = join(folder, request.fileName);
    await writeFile(path, request.content);
    const migration = await loadMigration({ name: request.fileName, directory: folder, path });
    const run = async (direction: 'up' | 'down', expected: SchemaSnapshot, refusal: string | null): Promise<DirectionCheck> => {
      request.onStep?.(`Running ${direction} on ${request.shadow.description}`);
      try {
        await applyMigrations(request.shadow.knex, [migration], direction);
      } catch (error) {
        const message = messageOf((error as { cause?: unknown }).cause ?? error);
        if (refusal !== null && message.includes(refusal)) return { status: 'irreversible', differences: [], error: refusal };
        return { status: 'failed', differences: [], error: messageOf(error) };
      }
      request.onStep?.(`Comparing the schema after ${direction}`);
      const actual = await introspectSchema(request.shadow.knex, { excludeTables: request.excludeTables });
      const comparison = compareSchemas(expected, actual);
      notes.push(...comparison.notes.filter((n) => !notes.includes(n)));
      return comparison.equal
        ? { status: 'matches', differences: [], error: null }
        : { status: 'differs', differences: renderSchemaDiff({ changes: comparison.differences }).split('\n'), error: null };
    };
    const up = await run('up', request.desired, null);
    if (up.status !== 'matches') return { ok: false, shadow: request.shadow.description, up, down: NOT_RUN, upAgain: null, notes };
    const down = await run('down', request.current, request.irreversibleDown);
    const downOk = down.status === 'matches' || down.status === 'irreversible';
    let upAgain: DirectionCheck | null = null;
    if (request.upAgain && down.status === 'matches') upAgain = await run('up', request.desired, null);
    return { ok: downOk && (upAgain === null || upAgain.status === 'matches'), shadow: request.shadow.description, up, down, upAgain, notes };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
