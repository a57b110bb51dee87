/** Façade: adopting a database and writing migrations from schema changes — baseline, stamp, generate, check. */
import type { AdoptionState, BaselineResult, CheckResult, DesiredSource, GenerateResult, StampResult } from '../../shared/adopt';
import type { MigrationSettings } from '../../shared/profile';
import type { BaselineRequest } from '../adopt/baseline';
import type { StampRequest } from '../adopt/stamp';
import type { CheckRequest } from '../check/check-project';
import type { EngineContext } from '../engine-context';
import type { GenerateRequest } from '../generate/generate-migration';
import { type DbSession, dbOf } from './session';

/** The adopt operations of `createEngine`. */
export function adoptOperations(context: EngineContext) {
  return {
    /** Write a baseline migration of the live schema, verified on a shadow, and stamp it applied (the schema is not touched). */
    async baselineDatabase(session: DbSession, request: BaselineRequest = {}): Promise<BaselineResult> {
      return (await import('../adopt/baseline')).baselineDatabase(dbOf(session), request);
    },

    /** Mark migration files applied without running them, when a shadow shows they give the live schema. */
    async stampMigrations(session: DbSession, request: StampRequest): Promise<StampResult> {
      return (await import('../adopt/stamp')).stampMigrations(dbOf(session), request);
    },

    /** A migration from the live schema (or the migrations' own, without a session) to a reference, verified on a shadow. */
    async generateMigration(session: DbSession | null, settings: MigrationSettings, request: GenerateRequest): Promise<GenerateResult> {
      const { generateMigration } = await import('../generate/generate-migration');
      return generateMigration({ db: session ? dbOf(session) : null, settings, context }, request);
    },

    /** Tables no migration created, and migrations applied: whether the database can be adopted. */
    async adoptionState(session: DbSession): Promise<AdoptionState> {
      return (await import('../adopt/adoption-state')).readAdoptionState(dbOf(session));
    },

    /** A migration from schema changes, verified on a shadow and not written (status `preview`, or `not-written`/`no-changes`). */
    async previewMigration(session: DbSession, request: { name: string; source: DesiredSource; renames: string[]; force?: boolean }): Promise<GenerateResult> {
      const db = dbOf(session);
      const { generateMigration } = await import('../generate/generate-migration');
      return generateMigration({ db, settings: db.settings, context }, { ...request, preview: true });
    },

    /** Write a migration `generateMigration` previewed, exactly as it was shown. */
    async writePreviewedMigration(preview: GenerateResult): Promise<GenerateResult> {
      return (await import('../generate/generate-migration')).writePreviewedMigration(preview);
    },

    /** The CI gate: edited, missing, out-of-order files, drift and differences from a reference. */
    async checkProject(session: DbSession | null, settings: MigrationSettings, request: CheckRequest = {}): Promise<CheckResult> {
      const { checkProject } = await import('../check/check-project');
      return checkProject({ db: session ? dbOf(session) : null, settings, context }, request);
    },
  };
}
