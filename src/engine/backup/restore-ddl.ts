/**
 * The schema DDL of a restore, in pg_restore's order: tables without their keys, then the data,
 * then keys and indexes (built once over the loaded rows instead of maintained row by row, and
 * independent of each other, so they can be built in parallel), foreign keys once both their
 * tables are loaded and keyed (as pg_restore -j, beside other tables still loading), then the rest.
 */
import type { Constraint, SchemaSnapshot, Table } from '../../shared/schema';
import { renderSchemaDdl } from '../schema';
import { addConstraint, createIndex, standaloneIndexes } from '../schema/object-ddl';
import { qualify, quoteIdent } from '../schema/sql-quoting';

/** One key or index to build after the data (with its comment), and what it locks. */
export interface IndexBuild {
  /** "schema"."table" it belongs to. */
  table: string;
  /** Run in order on one connection. */
  statements: string[];
  /**
   * ALTER TABLE … ADD CONSTRAINT takes an ACCESS EXCLUSIVE lock (nothing else on the table at the
   * same time); CREATE INDEX a SHARE lock (other index builds on the table may run beside it).
   */
  exclusive: boolean;
}

/** One foreign key to add (with its comment) once both its tables hold their rows and keys. */
export interface ForeignKeyBuild {
  /** "schema"."table" it is on. */
  table: string;
  /** "schema"."table" it references (the same table for a self-reference). */
  references: string;
  /** Run in order on one connection; ADD FOREIGN KEY locks both tables against writes and index builds. */
  statements: string[];
}

export interface RestoreDdl {
  /** In one transaction before the data: as `renderSchemaDdl`, with no primary, unique or exclusion keys. */
  preData: string[];
  /** After the data, in any order or in parallel: keys and indexes. */
  indexes: IndexBuild[];
  /** After both tables' rows, keys and indexes, in any order or in parallel (but one at a time on a table). */
  foreignKeys: ForeignKeyBuild[];
  /** After the foreign keys, in order: NOT VALID checks, triggers, ownership, materialized views. */
  postData: string[];
}

/**
 * A plain primary key or unique constraint (columns only: no INCLUDE, NULLS NOT DISTINCT, WITH,
 * DEFERRABLE, tablespace) built as its unique index first — CREATE INDEX takes a SHARE lock, so the
 * table's other indexes build beside it — then made the constraint with ADD CONSTRAINT … USING
 * INDEX, which only takes the table's exclusive lock for a moment (its columns are already NOT
 * NULL). ALTER TABLE … ADD PRIMARY KEY would hold that lock for the whole build, and the
 * table's other indexes (pg_restore's order) queue behind it. Null when the plain form is needed.
 */
function keyViaIndex(t: Table, c: Constraint): string[] | null {
  if (c.kind !== 'primary' && c.kind !== 'unique') return null;
  const key = /^(PRIMARY KEY|UNIQUE) \(([^()]+)\)$/.exec(c.definition);
  const index = t.indexes.find((i) => i.constraint === c.name && i.name === c.name);
  if (!key || !index || index.method !== 'btree' || index.predicate !== null) return null;
  const columns = /^CREATE UNIQUE INDEX \S+ ON \S+ USING btree \(([^()]+)\)$/.exec(index.definition);
  if (!columns || columns[1] !== key[2]) return null;
  const statements = addConstraint(t, { ...c, definition: `${key[1]} USING INDEX ${quoteIdent(index.name)}` });
  return [index.definition, ...statements];
}

const isKey = (c: Constraint) => c.kind === 'primary' || c.kind === 'unique' || c.kind === 'exclusion';
/** A foreign key that names the table it references (older snapshots may not: those stay in postData). */
const isForeignKey = (c: Constraint) => c.kind === 'foreign' && c.references !== null;

/** Restore DDL for `snapshot`. */
export function renderRestoreDdl(snapshot: SchemaSnapshot): RestoreDdl {
  const indexes: IndexBuild[] = [];
  const foreignKeys: ForeignKeyBuild[] = [];
  const tables = snapshot.tables.map((t) => {
    const table = qualify(t.schema, t.name);
    for (const c of t.constraints.filter(isKey)) {
      const viaIndex = keyViaIndex(t, c);
      indexes.push(viaIndex ? { table, statements: viaIndex, exclusive: false } : { table, statements: addConstraint(t, c), exclusive: true });
    }
    // The indexes that back the keys come with them.
    for (const i of standaloneIndexes(t)) indexes.push({ table, statements: createIndex(t.schema, i), exclusive: false });
    for (const c of t.constraints.filter(isForeignKey)) {
      foreignKeys.push({ table, references: qualify(c.references!.schema, c.references!.table), statements: addConstraint(t, c) });
    }
    return { ...t, constraints: t.constraints.filter((c) => !isKey(c) && !isForeignKey(c)), indexes: [] };
  });
  const ddl = renderSchemaDdl({ ...snapshot, tables });
  return { preData: ddl.preData, indexes, foreignKeys, postData: ddl.postData };
}
