/**
 * `createEngine(context)`: every operation the CLI and the service use, behind one door. Each
 * operation loads its modules when first called, so a command pays only for what it runs.
 */
import type { EngineContext } from './engine-context';
import { adoptOperations } from './facade/adopt';
import { backupOperations } from './facade/backups';
import { checkOperations } from './facade/checks';
import { connectionOperations } from './facade/connections';
import { lintOperations } from './facade/lint';
import { migrationOperations } from './facade/migrations';
import { projectOperations } from './facade/projects';
import { schemaOperations } from './facade/schema';

/** The engine for one context (one process, or one test). */
export function createEngine(context: EngineContext) {
  return {
    ...connectionOperations(context),
    ...projectOperations(context),
    ...migrationOperations(context),
    ...backupOperations(context),
    ...schemaOperations(context),
    ...lintOperations(),
    ...checkOperations(context),
    ...adoptOperations(context),
  };
}

/** What `createEngine` returns: the type every shell (and every fake of it) is checked against. */
export type Engine = ReturnType<typeof createEngine>;
