/**
 * The schema DDL of a restore, in pg_restore's order: tables without their keys, then the data,
 * then keys and indexes (built once over the loaded rows instead of maintained row by row, and
 * independent of each other, so they can be built in parallel), then foreign keys and the rest.
 */
import type { Constraint, SchemaSnapshot, Table } from '../../shared/schema';
import { renderSchemaDdl } from '../schema';
import { qualify, quoteIdent } from '../schema/sql-quoting';

/** One index or key to build after the data, and what it locks. */
export interface IndexBuild {
  /** "schema"."table" it belongs to. */
  table: string;
  statement: string;
  /**
   * ALTER TABLE … ADD CONSTRAINT takes an ACCESS EXCLUSIVE lock (nothing else on the table at the
   * same time); CREATE INDEX a SHARE lock (other index builds on the table may run beside it).
   */
  exclusive: boolean;
}

export interface RestoreDdl {
  /** In one transaction before the data: as `renderSchemaDdl`, with no primary, unique or exclusion keys. */
  preData: string[];
  /** After the data, in any order or in parallel: keys and indexes. */
  indexes: IndexBuild[];
  /** After the indexes, in order: foreign keys (their referenced keys exist by then), NOT VALID checks, triggers, ownership, materialized views. */
  postData: string[];
}

const isKey = (c: Constraint) => c.kind === 'primary' || c.kind === 'unique' || c.kind === 'exclusion';

/** Restore DDL for `snapshot`. */
export function renderRestoreDdl(snapshot: SchemaSnapshot): RestoreDdl {
  const indexes: IndexBuild[] = [];
  const tables: Table[] = snapshot.tables.map((t) => {
    const name = qualify(t.schema, t.name);
    const keys = t.constraints.filter(isKey);
    const keyNames = new Set(keys.map((c) => c.name));
    for (const c of keys) indexes.push({ table: name, statement: `alter table ${name} add constraint ${quoteIdent(c.name)} ${c.definition}`, exclusive: true });
    // Indexes that back the keys come with them; the others are built on their own.
    const own = t.indexes.filter((i) => i.constraint === null || !keyNames.has(i.constraint));
    for (const i of own) indexes.push({ table: name, statement: i.definition, exclusive: false });
    return { ...t, constraints: t.constraints.filter((c) => !isKey(c)), indexes: own };
  });
  const ddl = renderSchemaDdl({ ...snapshot, tables });
  const built = new Set(indexes.map((i) => i.statement));
  return { preData: ddl.preData, indexes, postData: ddl.postData.filter((s) => !built.has(s)) };
}
