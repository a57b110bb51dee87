/** Façade: what lives in files — saved profiles, knexfile projects, new migrations, migration sources. */
import type { CreatedMigration } from '../../shared/migration';
import type { MigrationSettings, Profile, ProfileInput } from '../../shared/profile';
import type { EngineContext } from '../engine-context';
import { ledgerNameProblem } from '../ledger/ledger-tables';
import { type FolderWatch, watchMigrationFolders } from '../migrations/watch-migration-folders';
import { embeddedDemoProfile } from '../profiles/embedded-demo-profile';
import type { OpenedProject } from '../project/open-project';

/** A migration file's text, for the detail view and the editor. */
export interface MigrationSource {
  name: string;
  path: string;
  source: string;
  language: 'typescript' | 'javascript';
}

/** The project and profile operations of `createEngine`. */
export function projectOperations(context: EngineContext) {
  return {
    /** The built-in demo: an embedded database in the data folder, migrations from `migrationsDir`. */
    embeddedDemoProfile: (dataDir: string, migrationsDir: string): Profile => embeddedDemoProfile(dataDir, migrationsDir),

    /** Saved profiles of a data folder, in the order first saved; CONFIG_INVALID when the file is damaged. */
    async listProfiles(dataDir: string): Promise<Profile[]> {
      return (await import('../profiles/profile-store')).listProfiles(dataDir);
    },

    /** One saved profile, or undefined. */
    async getProfile(dataDir: string, id: string): Promise<Profile | undefined> {
      return (await import('../profiles/profile-store')).getProfile(dataDir, id);
    },

    /** Insert or replace (by id) a profile, validated; a URL with a password in it is refused. */
    async saveProfile(dataDir: string, profile: ProfileInput): Promise<Profile> {
      return (await import('../profiles/profile-store')).saveProfile(dataDir, profile, context.fileWrites);
    },

    /** Remove a saved profile; false when there was none with that id. */
    async deleteProfile(dataDir: string, id: string): Promise<boolean> {
      return (await import('../profiles/profile-store')).deleteProfile(dataDir, id, context.fileWrites);
    },

    /** Why a ledger table or schema name cannot be used (Knex and PostgreSQL would read it differently), or null. */
    ledgerNameProblem: (name: string, kind: 'table' | 'schema'): string | null => ledgerNameProblem(name, kind),

    /** The knexfile the knex CLI would use from `folder`: the first of its names there or in the nearest parent. */
    async findKnexfileUpward(folder: string): Promise<string | undefined> {
      return (await import('../project/read-knexfile')).findKnexfileUpward(folder);
    },

    /** A knexfile (or the folder holding one) read into one profile per PostgreSQL environment, with warnings. */
    async openProject(pathToFolderOrKnexfile: string): Promise<OpenedProject> {
      return (await import('../project/open-project')).openProject(pathToFolderOrKnexfile, context.env);
    },

    /** `<timestamp>_<slug>.<ext>` from the template in the first migrations folder, named by the context's clock. */
    async createMigration(settings: MigrationSettings, name: string, options: { language?: 'ts' | 'js' } = {}): Promise<CreatedMigration> {
      const { createMigration } = await import('../project/create-migration');
      return createMigration(settings, name, { ...options, now: context.now() });
    },

    /** `migrations/` and `knexfile.ts` in `folder`; refuses to overwrite either. */
    async initProject(folder: string): Promise<{ created: string[] }> {
      return (await import('../project/create-migration')).initProject(folder);
    },

    /** Watch the migration folders; `onChange` gets the file names touched (debounced). */
    watchMigrations: (settings: MigrationSettings, onChange: (names: string[]) => void): FolderWatch => watchMigrationFolders(settings, onChange),

    /** The migration files' names in Knex's order, from the folders alone (no connection). */
    async listMigrationFiles(settings: MigrationSettings): Promise<string[]> {
      return (await (await import('../migrations/list-migration-files')).listMigrationFiles(settings)).map((f) => f.name);
    },

    /** A migration file's text; MIGRATION_NOT_FOUND when no file has that name. */
    async readMigrationSource(settings: MigrationSettings, name: string): Promise<MigrationSource> {
      const { readMigrationSource } = await import('../migrations/read-migration-source');
      const { path, source, language } = await readMigrationSource(settings, name);
      return { name, path, source, language };
    },
  };
}
