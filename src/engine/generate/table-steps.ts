/**
 * Steps for one table: created with Knex's schema builder (columns, primary key, plain unique
 * constraints) plus raw SQL for what the builder cannot say exactly (checks, exclusions, partial or
 * expression indexes, comments), altered column by column, or dropped.
 */
import type { Column, Constraint, Index, Sequence, Table } from '../../shared/schema';
import { columnComment, commentOn, constraintComment, createIndex, isPostDataConstraint, standaloneIndexes } from '../schema/object-ddl';
import { qualify, quoteIdent } from '../schema/sql-quoting';
import { columnBuilder, quoteIfNeeded, serialSequence, specificType, type SerialKind } from './column-builder';
import { jsString, jsStrings } from './js-literals';
import { type MigrationStep, raw } from './migration-steps';

const SIMPLE_NAME = /^[a-z_][a-z0-9_$]*$/;

function tableStep(method: 'createTable' | 'alterTable', t: { schema: string; name: string }, lines: string[]): MigrationStep {
  return { code: { kind: 'table', method, schema: t.schema, table: t.name, lines } };
}

/** `PRIMARY KEY (a, b)` / `UNIQUE (a, b)` over plain columns: the builder's `primary`/`unique` render it exactly. */
function builderKeyLine(c: Constraint): string | null {
  const columns = c.columns.map(quoteIfNeeded).join(', ');
  if (c.kind === 'primary' && c.definition === `PRIMARY KEY (${columns})`) return `t.primary(${jsStrings(c.columns)}, { constraintName: ${jsString(c.name)} });`;
  if (c.kind === 'unique' && c.definition === `UNIQUE (${columns})`) return `t.unique(${jsStrings(c.columns)}, { indexName: ${jsString(c.name)} });`;
  return null;
}

const ACTIONS = new Set(['cascade', 'restrict', 'set null', 'set default']);

/** A foreign key the builder renders exactly: plain columns, actions only, no MATCH or DEFERRABLE. */
export function builderForeignKeyLine(c: Constraint): string | null {
  const ref = c.references;
  if (c.kind !== 'foreign' || !ref || ref.schema.includes('.') || ref.table.includes('.')) return null;
  let expected = `FOREIGN KEY (${c.columns.map(quoteIfNeeded).join(', ')}) REFERENCES ${quoteIfNeeded(ref.schema)}.${quoteIfNeeded(ref.table)}(${ref.columns.map(quoteIfNeeded).join(', ')})`;
  let chain = `t.foreign(${jsStrings(c.columns)}, ${jsString(c.name)}).references(${jsStrings(ref.columns)}).inTable(${jsString(`${ref.schema}.${ref.table}`)})`;
  for (const [action, word] of [
    [ref.onUpdate, 'UPDATE'],
    [ref.onDelete, 'DELETE'],
  ] as const) {
    if (action === 'no action') continue;
    if (!ACTIONS.has(action)) return null;
    expected += ` ON ${word} ${action.toUpperCase()}`;
    chain += `.on${word === 'UPDATE' ? 'Update' : 'Delete'}(${jsString(action.toUpperCase())})`;
  }
  return c.definition === expected ? `${chain};` : null;
}

/** A plain b-tree index on plain columns: `t.index([...], name)` renders exactly this. */
function builderIndexLine(schema: string, table: string, i: Index): string | null {
  if (i.unique || i.method !== 'btree' || i.predicate !== null || !i.keys.every((k) => SIMPLE_NAME.test(k))) return null;
  const expected = `CREATE INDEX ${quoteIfNeeded(i.name)} ON ${quoteIfNeeded(schema)}.${quoteIfNeeded(table)} USING btree (${i.keys.join(', ')})`;
  return i.definition === expected ? `t.index(${jsStrings(i.keys)}, ${jsString(i.name)});` : null;
}

/** The serial kind of each column (for columns Knex can declare as increments). */
export function serialColumns(t: Table, sequences: readonly Sequence[]): Map<string, { kind: SerialKind; sequence: Sequence }> {
  const found = new Map<string, { kind: SerialKind; sequence: Sequence }>();
  for (const c of t.columns) {
    const serial = serialSequence(t.schema, t.name, c, sequences);
    if (serial) found.set(c.name, serial);
  }
  return found;
}

/**
 * Creates `t` with its columns and the constraints that need no other table; indexes and comments
 * follow. `sqlOnly`: plain SQL throughout (large migrations, sent in batches).
 */
export function createTableSteps(t: Table, sequences: readonly Sequence[], sqlOnly = false): MigrationStep[] {
  const serials = serialColumns(t, sequences);
  const lines = t.columns.map((c) => `${columnBuilder(c, serials.get(c.name)?.kind ?? null)};`);
  const after: MigrationStep[] = [];
  for (const c of t.constraints.filter((k) => !isPostDataConstraint(k))) {
    const line = builderKeyLine(c);
    if (line) lines.push(line);
    else after.push(raw(`alter table ${qualify(t.schema, t.name)} add constraint ${quoteIdent(c.name)} ${c.definition}`));
  }
  const steps: MigrationStep[] = [];
  if (sqlOnly) {
    steps.push(raw(createTableSql(t)));
    steps.push(...tableComments(t));
    steps.push(...t.constraints.filter((k) => !isPostDataConstraint(k) && k.comment).map((k) => raw(constraintComment(t, k))));
    steps.push(...standaloneIndexes(t).flatMap((i) => createIndex(t.schema, i).map((sql) => raw(sql))));
    return steps;
  }
  if (t.unlogged || t.options?.length) {
    // The builder has no UNLOGGED or storage parameters: the whole table in SQL.
    steps.push(raw(createTableSql(t)));
  } else {
    steps.push(tableStep('createTable', t, lines));
    steps.push(...after);
  }
  steps.push(...tableComments(t));
  steps.push(...t.constraints.filter((k) => !isPostDataConstraint(k) && k.comment).map((k) => raw(constraintComment(t, k))));
  steps.push(...standaloneIndexes(t).flatMap((i) => indexSteps(t.schema, t.name, i)));
  return steps;
}

function createTableSql(t: Table): string {
  const items = [
    ...t.columns.map((c) => `${quoteIdent(c.name)} ${specificType(c)}${c.default !== null ? ` default ${c.default}` : ''}${c.nullable ? '' : ' not null'}`),
    ...t.constraints.filter((c) => !isPostDataConstraint(c)).map((c) => `constraint ${quoteIdent(c.name)} ${c.definition}`),
  ];
  return `create ${t.unlogged ? 'unlogged ' : ''}table ${qualify(t.schema, t.name)} (\n  ${items.join(',\n  ')}\n)${t.options?.length ? ` with (${t.options.join(', ')})` : ''}`;
}

function tableComments(t: Table): MigrationStep[] {
  const steps: MigrationStep[] = [];
  if (t.comment !== null) steps.push(raw(commentOn(`table ${qualify(t.schema, t.name)}`, t.comment)));
  for (const c of t.columns) if (c.comment !== null) steps.push(raw(columnComment(t, c)));
  return steps;
}

/** One index: the builder for plain b-tree indexes, its definition otherwise; then its comment. */
export function indexSteps(schema: string, table: string, i: Index): MigrationStep[] {
  const line = builderIndexLine(schema, table, i);
  if (!line) return createIndex(schema, i).map((sql) => raw(sql));
  return [tableStep('alterTable', { schema, name: table }, [line]), ...(i.comment ? [raw(commentOn(`index ${qualify(schema, i.name)}`, i.comment))] : [])];
}

/** A constraint added to an existing table (foreign keys through the builder when it can say them). */
export function addConstraintSteps(t: { schema: string; name: string }, c: Constraint): MigrationStep[] {
  const line = c.kind === 'foreign' ? builderForeignKeyLine(c) : builderKeyLine(c);
  const steps = line
    ? [tableStep('alterTable', t, [line])]
    : [raw(`alter table ${qualify(t.schema, t.name)} add constraint ${quoteIdent(c.name)} ${c.definition}`)];
  if (c.comment) steps.push(raw(constraintComment(t, c)));
  return steps;
}

export function dropConstraintStep(t: { schema: string; name: string }, c: Constraint): MigrationStep {
  return raw(`alter table ${qualify(t.schema, t.name)} drop constraint ${quoteIdent(c.name)}`);
}

export function dropIndexStep(schema: string, i: Index): MigrationStep {
  return raw(`drop index ${qualify(schema, i.name)}`);
}

/** Adds a column (the builder when it can declare it), then its comment. */
export function addColumnSteps(t: Table, c: Column, sequences: readonly Sequence[]): MigrationStep[] {
  const serial = serialSequence(t.schema, t.name, c, sequences);
  return [tableStep('alterTable', t, [`${columnBuilder(c, serial?.kind ?? null)};`]), ...(c.comment !== null ? [raw(columnComment(t, c))] : [])];
}

/** Changes column `before` into `after` (same name): the builder's `.alter()` for type/null/default, SQL otherwise. */
export function alterColumnSteps(t: Table, before: Column, after: Column, sequences: readonly Sequence[]): MigrationStep[] {
  const name = qualify(t.schema, t.name);
  const col = quoteIdent(after.name);
  const steps: MigrationStep[] = [];
  const generationChanged = before.generated !== after.generated || before.generatedKind !== after.generatedKind;
  if (generationChanged) {
    // A generation expression cannot be changed in place (before PostgreSQL 17): the column is recomputed.
    steps.push(raw(`alter table ${name} drop column ${col}`, `${after.name}: generation changed; the column is dropped and added again (its values are recomputed)`));
    steps.push(...addColumnSteps(t, after, sequences));
    return steps;
  }
  const plain = (c: Column) => c.identity === null && c.generated === null && c.collation === null;
  const typeChanged = before.type !== after.type || before.collation !== after.collation;
  const identityChanged = before.identity !== after.identity || JSON.stringify(before.identitySequence ?? null) !== JSON.stringify(after.identitySequence ?? null);
  if ((typeChanged || before.nullable !== after.nullable || before.default !== after.default) && plain(before) && plain(after) && !identityChanged) {
    // Knex's .alter() drops the default and NOT NULL, changes the type, then sets what is declared.
    steps.push(tableStep('alterTable', t, [`${columnBuilder(after, null)}.alter();`]));
  } else {
    if (identityChanged && before.identity !== null) steps.push(raw(`alter table ${name} alter column ${col} drop identity`));
    if (typeChanged) {
      steps.push(raw(`alter table ${name} alter column ${col} type ${after.type}${after.collation ? ` collate ${after.collation}` : ''} using ${col}::${after.type}`));
    }
    if (before.default !== after.default && !(identityChanged && after.identity !== null && after.default === null && before.default === null)) {
      steps.push(raw(`alter table ${name} alter column ${col} ${after.default === null ? 'drop default' : `set default ${after.default}`}`));
    }
    if (before.nullable !== after.nullable) steps.push(raw(`alter table ${name} alter column ${col} ${after.nullable ? 'drop' : 'set'} not null`));
    if (identityChanged && after.identity !== null) {
      const options = specificType({ ...after, collation: null, generated: null }).slice(after.type.length).replace(/^ generated /, '');
      steps.push(raw(`alter table ${name} alter column ${col} add generated ${options.replace(/^(always|by default) as identity/, '$1 as identity')}`));
    }
  }
  if (before.comment !== after.comment) steps.push(raw(columnComment(t, after)));
  return steps;
}

export function dropColumnStep(t: { schema: string; name: string }, c: Column): MigrationStep {
  return tableStep('alterTable', t, [`t.dropColumn(${jsString(c.name)});`]);
}

export function renameColumnStep(t: { schema: string; name: string }, from: string, to: string): MigrationStep {
  return tableStep('alterTable', t, [`t.renameColumn(${jsString(from)}, ${jsString(to)});`]);
}

/** Table-level changes other than columns, constraints and indexes: comment, UNLOGGED, storage parameters. */
export function alterTablePropertiesSteps(before: Table, after: Table): MigrationStep[] {
  const name = qualify(after.schema, after.name);
  const steps: MigrationStep[] = [];
  if (before.comment !== after.comment) steps.push(raw(commentOn(`table ${name}`, after.comment)));
  if (before.unlogged !== undefined && after.unlogged !== undefined && before.unlogged !== after.unlogged) {
    steps.push(raw(`alter table ${name} set ${after.unlogged ? 'unlogged' : 'logged'}`));
  }
  const was = new Set(before.options ?? []);
  const now = new Set(after.options ?? []);
  if (before.options !== undefined && after.options !== undefined) {
    const reset = [...was].filter((o) => !now.has(o)).map((o) => o.split('=')[0]).filter((k) => ![...now].some((o) => o.split('=')[0] === k));
    const set = [...now].filter((o) => !was.has(o));
    if (reset.length) steps.push(raw(`alter table ${name} reset (${reset.join(', ')})`));
    if (set.length) steps.push(raw(`alter table ${name} set (${set.join(', ')})`));
  }
  return steps;
}
