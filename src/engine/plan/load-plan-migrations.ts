/** Loads a plan's migration files, refusing any that changed or vanished since the plan was made. */
import type { Plan } from '../../shared/plan';
import type { Db } from '../database/open-database';
import { StepstoneError } from '../errors';
import { listMigrationFiles } from '../migrations/list-migration-files';
import { type LoadedMigration, loadMigration } from '../migrations/load-migration';

/** Each step's loaded module, keyed by name; PLAN_STALE when the files no longer match the plan. */
export async function loadPlanMigrations(db: Db, plan: Plan): Promise<Map<string, LoadedMigration>> {
  const files = new Map((await listMigrationFiles(db.settings)).map((f) => [f.name, f]));
  const loaded = new Map<string, LoadedMigration>();
  for (const step of plan.steps) {
    const file = files.get(step.name);
    if (!file) throw new StepstoneError('PLAN_STALE', `${step.name} is no longer in the migrations folder.`, { hint: 'Plan again.' });
    const migration = await loadMigration(file, db.context.caches);
    if (migration.checksum !== step.checksum) {
      throw new StepstoneError('PLAN_STALE', `${step.name} changed on disk since the plan was made.`, { hint: 'Review the change and plan again.' });
    }
    loaded.set(step.name, migration);
  }
  return loaded;
}
