/**
 * A generated migration as values: an ordered list of steps per direction, each either a Knex
 * schema-builder call (where the builder expresses the change exactly) or raw SQL, rendered to a
 * file by render-migration-file.
 */

export type MigrationCode =
  /** `await knex.schema.withSchema(schema).createTable|alterTable(table, (t) => { lines })`. */
  | { kind: 'table'; method: 'createTable' | 'alterTable'; schema: string; table: string; lines: string[] }
  | { kind: 'dropTable'; schema: string; table: string }
  | { kind: 'renameTable'; schema: string; from: string; to: string }
  /** `await knex.raw(sql)`: one statement, no bindings. */
  | { kind: 'raw'; sql: string }
  /** A change PostgreSQL cannot make: the direction throws with this message. */
  | { kind: 'fail'; message: string };

export interface MigrationStep {
  code: MigrationCode;
  /** A line above the step in the file, saying why when it is not obvious. */
  comment?: string;
}

/** What a plan of steps found along the way, for the file header and the output. */
export interface PlanNotes {
  /** Objects whose data goes with them ("table public.users", "column public.users.avatar"). */
  dataLoss: string[];
  /** Things the user should know (a type recreated, an irreversible change, an object not reproduced). */
  warnings: string[];
}

export interface PlannedMigration extends PlanNotes {
  steps: MigrationStep[];
}

/** Shorthands. */
export const raw = (sql: string, comment?: string): MigrationStep => ({ code: { kind: 'raw', sql }, ...(comment ? { comment } : {}) });
export const fail = (message: string): MigrationStep => ({ code: { kind: 'fail', message } });
