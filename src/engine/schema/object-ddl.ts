/**
 * DDL for one object of a snapshot at a time: what creates it (with its comments) and what drops
 * it. Used to recreate a whole snapshot (render-schema-ddl) and to write migrations (generate).
 * Statements carry no trailing semicolon and no bind placeholders.
 */
import type {
  Column,
  CompositeType,
  Constraint,
  DomainType,
  EnumType,
  Extension,
  FunctionDef,
  Index,
  RangeType,
  Sequence,
  SequenceOptions,
  Table,
  Trigger,
  View,
} from '../../shared/schema';
import { qualify, quoteIdent, quoteLiteral } from './sql-quoting';

/** `comment on <what> is '…'` (or `is null` to remove one). */
export function commentOn(what: string, comment: string | null | undefined): string {
  return `comment on ${what} is ${comment === null || comment === undefined ? 'null' : quoteLiteral(comment)}`;
}

export function createSchema(name: string, comment?: string | null): string[] {
  return [`create schema if not exists ${quoteIdent(name)}`, ...(comment ? [commentOn(`schema ${quoteIdent(name)}`, comment)] : [])];
}

export function createExtensionSql(e: Extension): string {
  return `create extension if not exists ${quoteIdent(e.name)} with schema ${quoteIdent(e.schema)}`;
}

export function createEnum(e: EnumType): string[] {
  const name = qualify(e.schema, e.name);
  return [`create type ${name} as enum (${e.values.map(quoteLiteral).join(', ')})`, ...(e.comment ? [commentOn(`type ${name}`, e.comment)] : [])];
}

export function createDomain(d: DomainType): string[] {
  const name = qualify(d.schema, d.name);
  const parts = [`create domain ${name} as ${d.type}`];
  if (d.collation) parts.push(`collate ${d.collation}`);
  if (d.default !== null) parts.push(`default ${d.default}`);
  if (d.notNull) parts.push('not null');
  const later: string[] = [];
  for (const c of d.constraints) {
    // NOT VALID checks cannot be declared inside CREATE DOMAIN.
    if (/\bNOT VALID$/.test(c.definition)) later.push(`alter domain ${name} add constraint ${quoteIdent(c.name)} ${c.definition}`);
    else parts.push(`constraint ${quoteIdent(c.name)} ${c.definition}`);
  }
  return [parts.join(' '), ...later, ...(d.comment ? [commentOn(`domain ${name}`, d.comment)] : [])];
}

export function createComposite(t: CompositeType): string[] {
  const name = qualify(t.schema, t.name);
  const attributes = t.attributes.map((a) => `${quoteIdent(a.name)} ${a.type}${a.collation ? ` collate ${a.collation}` : ''}`);
  return [`create type ${name} as (${attributes.join(', ')})`, ...(t.comment ? [commentOn(`type ${name}`, t.comment)] : [])];
}

export function createRange(t: RangeType): string[] {
  const name = qualify(t.schema, t.name);
  return [`create type ${name} as range (subtype = ${t.subtype})`, ...(t.comment ? [commentOn(`type ${name}`, t.comment)] : [])];
}

function sequenceOptions(s: Omit<SequenceOptions, 'dataType'>): string {
  return `increment by ${s.increment} minvalue ${s.min} maxvalue ${s.max} start with ${s.start} cache ${s.cache} ${s.cycle ? 'cycle' : 'no cycle'}`;
}

export function createSequence(s: Sequence): string[] {
  const name = qualify(s.schema, s.name);
  return [`create sequence ${name} as ${s.dataType} ${sequenceOptions(s)}`, ...(s.comment ? [commentOn(`sequence ${name}`, s.comment)] : [])];
}

export function ownSequence(s: Sequence): string[] {
  if (!s.ownedBy) return [];
  return [`alter sequence ${qualify(s.schema, s.name)} owned by ${qualify(s.schema, s.ownedBy.table)}.${quoteIdent(s.ownedBy.column)}`];
}

/** `function "s"."f"(args)` or `procedure …`, as COMMENT and DROP name routines. */
export function routineSignature(f: FunctionDef): string {
  return `${f.kind === 'procedure' ? 'procedure' : 'function'} ${qualify(f.schema, f.name)}(${f.arguments})`;
}

export function createFunction(f: FunctionDef): string[] {
  // Aggregates have no pg_get_functiondef(); the snapshot lists them under `unsupported` too.
  if (!f.definition) return [];
  return [f.definition.trim(), ...(f.comment !== null ? [commentOn(routineSignature(f), f.comment)] : [])];
}

/** A column as CREATE TABLE / ADD COLUMN declare it. */
export function columnDefinition(c: Column): string {
  const parts = [quoteIdent(c.name), c.type];
  if (c.collation) parts.push(`collate ${c.collation}`);
  if (c.generated !== null) parts.push(`generated always as (${c.generated}) ${c.generatedKind === 'virtual' ? 'virtual' : 'stored'}`);
  if (c.identity) parts.push(`generated ${c.identity} as identity${c.identitySequence ? ` (${sequenceOptions(c.identitySequence)})` : ''}`);
  if (c.default !== null) parts.push(`default ${c.default}`);
  if (!c.nullable) parts.push('not null');
  return parts.join(' ');
}

/** Foreign keys wait for every table (and, in a restore, the data); NOT VALID checks cannot be declared inside CREATE TABLE. */
export function isPostDataConstraint(c: Constraint): boolean {
  return c.kind === 'foreign' || (c.kind === 'check' && /\bNOT VALID$/.test(c.definition));
}

export function columnComment(t: { schema: string; name: string }, c: Column): string {
  return commentOn(`column ${qualify(t.schema, t.name)}.${quoteIdent(c.name)}`, c.comment);
}

export function constraintComment(t: { schema: string; name: string }, c: Constraint): string {
  return commentOn(`constraint ${quoteIdent(c.name)} on ${qualify(t.schema, t.name)}`, c.comment);
}

/** CREATE TABLE with its columns and the constraints that need no other table, then its comments. */
export function createTable(t: Table): string[] {
  const name = qualify(t.schema, t.name);
  const inline = t.constraints.filter((c) => !isPostDataConstraint(c));
  const items = [...t.columns.map(columnDefinition), ...inline.map((c) => `constraint ${quoteIdent(c.name)} ${c.definition}`)];
  const options = t.options?.length ? ` with (${t.options.join(', ')})` : '';
  const statements = [`create ${t.unlogged ? 'unlogged ' : ''}table ${name} (\n  ${items.join(',\n  ')}\n)${options}`];
  if (t.comment !== null) statements.push(commentOn(`table ${name}`, t.comment));
  for (const c of t.columns) if (c.comment !== null) statements.push(columnComment(t, c));
  for (const c of inline) if (c.comment) statements.push(constraintComment(t, c));
  return statements;
}

/** ALTER TABLE … ADD CONSTRAINT, then its comment. */
export function addConstraint(t: { schema: string; name: string }, c: Constraint): string[] {
  return [`alter table ${qualify(t.schema, t.name)} add constraint ${quoteIdent(c.name)} ${c.definition}`, ...(c.comment ? [constraintComment(t, c)] : [])];
}

/** The index and its comment (`schema` is the table's, which the index shares). */
export function createIndex(schema: string, i: Index): string[] {
  return [i.definition, ...(i.comment ? [commentOn(`index ${qualify(schema, i.name)}`, i.comment)] : [])];
}

/** Indexes of a table that its constraints do not already create. */
export function standaloneIndexes(t: Table): Index[] {
  const constraints = new Set(t.constraints.map((c) => c.name));
  return t.indexes.filter((i) => i.constraint === null || !constraints.has(i.constraint));
}

export function createTrigger(t: Trigger): string[] {
  return [t.definition, ...(t.comment ? [commentOn(`trigger ${quoteIdent(t.name)} on ${qualify(t.schema, t.table)}`, t.comment)] : [])];
}

/** CREATE VIEW (or MATERIALIZED VIEW … WITH NO DATA) and its comment. */
export function createView(v: View): string[] {
  const name = qualify(v.schema, v.name);
  const options = v.options?.length ? ` with (${v.options.join(', ')})` : '';
  const statements = v.materialized
    ? [`create materialized view ${name}${options} as\n${v.definition}\nwith no data`]
    : [`create view ${name}${options} as\n${v.definition}`];
  if (v.comment !== null) statements.push(commentOn(`${v.materialized ? 'materialized view' : 'view'} ${name}`, v.comment));
  return statements;
}

export function dropView(v: View): string {
  return `drop ${v.materialized ? 'materialized view' : 'view'} ${qualify(v.schema, v.name)}`;
}
