/**
 * SQL that recreates a snapshot in an empty database, split the way a restore needs it:
 * `preData` before loading rows with COPY, `postData` after (indexes, foreign keys, triggers,
 * sequence ownership, materialized view contents).
 */
import type { Column, Constraint, FunctionDef, SchemaSnapshot, Sequence, Table, View } from '../../shared/schema';
import { orderViewsByDependency } from './order-views';
import { qualify, quoteIdent, quoteLiteral } from './sql-quoting';

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
 * schema-qualified, so the search_path does not matter.
 */
export function renderSchemaDdl(snapshot: SchemaSnapshot): SchemaDdl {
  const views = orderViewsByDependency(snapshot.views);
  const preData = [
    'set local check_function_bodies = false',
    ...snapshot.schemas.map((s) => `create schema if not exists ${quoteIdent(s)}`),
    ...snapshot.extensions.map((e) => `create extension if not exists ${quoteIdent(e.name)} with schema ${quoteIdent(e.schema)}`),
    ...snapshot.enums.map((e) => `create type ${qualify(e.schema, e.name)} as enum (${e.values.map(quoteLiteral).join(', ')})`),
    ...snapshot.sequences.map(createSequence),
    ...snapshot.functions.flatMap(createFunction),
    ...snapshot.tables.flatMap(createTable),
    ...views.flatMap(createView),
  ];
  const postData = [
    ...snapshot.tables.flatMap(createTableIndexes),
    ...snapshot.tables.flatMap((t) => t.constraints.filter(isPostDataConstraint).map((c) => addConstraint(t, c))),
    ...snapshot.triggers.map((t) => t.definition),
    ...snapshot.sequences.flatMap(ownSequence),
    ...views.filter((v) => v.materialized).map((v) => `refresh materialized view ${qualify(v.schema, v.name)}`),
    ...views.flatMap((v) => v.indexes.map((i) => i.definition)),
  ];
  return { preData, postData };
}

function createSequence(s: Sequence): string {
  return (
    `create sequence ${qualify(s.schema, s.name)} as ${s.dataType} increment by ${s.increment}` +
    ` minvalue ${s.min} maxvalue ${s.max} start with ${s.start} cache ${s.cache} ${s.cycle ? 'cycle' : 'no cycle'}`
  );
}

function ownSequence(s: Sequence): string[] {
  if (!s.ownedBy) return [];
  return [`alter sequence ${qualify(s.schema, s.name)} owned by ${qualify(s.schema, s.ownedBy.table)}.${quoteIdent(s.ownedBy.column)}`];
}

function createFunction(f: FunctionDef): string[] {
  // Aggregates have no pg_get_functiondef(); the snapshot lists them under `unsupported` too.
  if (!f.definition) return [];
  const statements = [f.definition.trim()];
  if (f.comment !== null) {
    statements.push(`comment on ${f.kind === 'procedure' ? 'procedure' : 'function'} ${qualify(f.schema, f.name)}(${f.arguments}) is ${quoteLiteral(f.comment)}`);
  }
  return statements;
}

function columnDefinition(c: Column): string {
  const parts = [quoteIdent(c.name), c.type];
  if (c.collation) parts.push(`collate ${c.collation}`);
  if (c.generated !== null) parts.push(`generated always as (${c.generated}) ${c.generatedKind === 'virtual' ? 'virtual' : 'stored'}`);
  if (c.identity) parts.push(`generated ${c.identity} as identity`);
  if (c.default !== null) parts.push(`default ${c.default}`);
  if (!c.nullable) parts.push('not null');
  return parts.join(' ');
}

/** Foreign keys wait for the data; NOT VALID checks cannot be declared inside CREATE TABLE. */
function isPostDataConstraint(c: Constraint): boolean {
  return c.kind === 'foreign' || (c.kind === 'check' && /\bNOT VALID$/.test(c.definition));
}

function createTable(t: Table): string[] {
  const name = qualify(t.schema, t.name);
  const items = [
    ...t.columns.map(columnDefinition),
    ...t.constraints.filter((c) => !isPostDataConstraint(c)).map((c) => `constraint ${quoteIdent(c.name)} ${c.definition}`),
  ];
  const statements = [`create table ${name} (\n  ${items.join(',\n  ')}\n)`];
  if (t.comment !== null) statements.push(`comment on table ${name} is ${quoteLiteral(t.comment)}`);
  for (const c of t.columns) {
    if (c.comment !== null) statements.push(`comment on column ${name}.${quoteIdent(c.name)} is ${quoteLiteral(c.comment)}`);
  }
  return statements;
}

/** Indexes the table's constraints do not already create. */
function createTableIndexes(t: Table): string[] {
  const constraints = new Set(t.constraints.map((c) => c.name));
  return t.indexes.filter((i) => i.constraint === null || !constraints.has(i.constraint)).map((i) => i.definition);
}

function addConstraint(t: Table, c: Constraint): string {
  return `alter table ${qualify(t.schema, t.name)} add constraint ${quoteIdent(c.name)} ${c.definition}`;
}

function createView(v: View): string[] {
  const name = qualify(v.schema, v.name);
  const statements = v.materialized
    ? [`create materialized view ${name} as\n${v.definition}\nwith no data`]
    : [`create view ${name} as\n${v.definition}`];
  if (v.comment !== null) statements.push(`comment on ${v.materialized ? 'materialized view' : 'view'} ${name} is ${quoteLiteral(v.comment)}`);
  return statements;
}
