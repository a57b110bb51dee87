/**
 * SQL that recreates a snapshot in an empty database, split the way a restore needs it:
 * `preData` before loading rows with COPY, `postData` after (indexes, foreign keys, triggers,
 * sequence ownership, materialized view contents).
 */
import type { SchemaSnapshot } from '../../shared/schema';
import {
  addConstraint,
  createComposite,
  createDomain,
  createEnum,
  createExtensionSql,
  createFunction,
  createIndex,
  createRange,
  createSchema,
  createSequence,
  createTable,
  createTrigger,
  createView,
  isPostDataConstraint,
  ownSequence,
  standaloneIndexes,
} from './object-ddl';
import { orderViewsByDependency } from './order-views';
import { qualify } from './sql-quoting';

export interface SchemaDdl {
  /**
   * Run in one transaction before loading data: the first statement is `set local
   * check_function_bodies = false` so SQL functions may name tables created after them.
   */
  preData: string[];
  /** Run after loading data. */
  postData: string[];
}

/**
 * Statements (no trailing semicolons, no bind placeholders: run each with `db.raw(sql)` and no
 * bindings) that recreate `snapshot`. Names are quoted; expressions are as the snapshot holds them,
 * schema-qualified, so the search_path does not matter. Creation order: schemas, extensions, types
 * (enums, ranges, domains, composites), functions, sequences, tables, views; then indexes, foreign
 * keys, triggers, sequence ownership, materialized view contents and their indexes.
 */
export function renderSchemaDdl(snapshot: SchemaSnapshot): SchemaDdl {
  const views = orderViewsByDependency(snapshot.views);
  const preData = [
    'set local check_function_bodies = false',
    ...snapshot.schemas.flatMap((s) => createSchema(s, snapshot.schemaComments?.[s])),
    ...snapshot.extensions.map(createExtensionSql),
    ...snapshot.enums.flatMap(createEnum),
    ...(snapshot.ranges ?? []).flatMap(createRange),
    ...(snapshot.domains ?? []).flatMap(createDomain),
    ...(snapshot.composites ?? []).flatMap(createComposite),
    ...snapshot.sequences.flatMap(createSequence),
    ...snapshot.functions.flatMap(createFunction),
    ...snapshot.tables.flatMap(createTable),
    ...views.flatMap(createView),
  ];
  const postData = [
    ...snapshot.tables.flatMap((t) => standaloneIndexes(t).flatMap((i) => createIndex(t.schema, i))),
    ...snapshot.tables.flatMap((t) => t.constraints.filter(isPostDataConstraint).flatMap((c) => addConstraint(t, c))),
    ...snapshot.triggers.flatMap(createTrigger),
    ...snapshot.sequences.flatMap(ownSequence),
    ...views.filter((v) => v.materialized).map((v) => `refresh materialized view ${qualify(v.schema, v.name)}`),
    ...views.flatMap((v) => v.indexes.flatMap((i) => createIndex(v.schema, i))),
  ];
  return { preData, postData };
}
