/**
 * The steps that turn one schema into another, in dependency order: renames; then dropping what
 * blocks the changes (triggers, views, foreign keys, constraints and indexes that go or change);
 * creating schemas, extensions, types, sequences and functions; creating and altering tables; adding
 * constraints, indexes and foreign keys; dropping tables; creating views and triggers; and last
 * dropping what nothing uses any more (sequences, functions, types, extensions, schemas).
 * `down` is the same planning from the desired schema back to the current one.
 */
import type { Column, Constraint, Index, SchemaSnapshot, Sequence, Table, Trigger, View } from '../../shared/schema';
import {
  addConstraint,
  commentOn,
  createExtensionSql,
  createFunction,
  createSchema,
  createSequence,
  createTrigger,
  createView,
  constraintComment,
  dropView,
  isPostDataConstraint,
  ownSequence,
  routineSignature,
  standaloneIndexes,
} from '../schema/object-ddl';
import { orderViewsByDependency } from '../schema/order-views';
import { qualify, quoteIdent, quoteIdentIfNeeded as quotePrinted } from '../schema/sql-quoting';
import { planTypeChanges } from './plan-type-changes';
import { type MigrationStep, type PlannedMigration, fail, raw } from './migration-steps';
import type { Renames } from './renames';
import {
  addColumnSteps,
  addConstraintSteps,
  alterColumnSteps,
  alterTablePropertiesSteps,
  createTableSteps,
  dropColumnStep,
  dropConstraintStep,
  dropIndexStep,
  indexSteps,
  renameColumnStep,
  serialColumns,
} from './table-steps';

const key = (schema: string, name: string) => `${schema}.${name}`;

function byKey<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T> {
  return new Map(items.map((i) => [keyOf(i), i]));
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a, dropUndefined) === JSON.stringify(b, dropUndefined);
}

function dropUndefined(_key: string, value: unknown): unknown {
  return value === undefined ? undefined : value;
}

/** Constraint/index equality on what defines them (a comment change alone is only a comment). */
const sameConstraint = (a: Constraint, b: Constraint) => a.definition === b.definition && a.kind === b.kind;
const sameIndex = (a: Index, b: Index) => a.definition === b.definition;

/**
 * Steps from `from` (the current schema, renames already applied to it) to `to`, starting with
 * `renames` as steps. Pure: no database.
 */
export function planSchemaMigration(from: SchemaSnapshot, to: SchemaSnapshot, renames: Renames, options: { sqlOnly?: boolean } = {}): PlannedMigration {
  const steps: MigrationStep[] = [];
  const dataLoss: string[] = [];
  const warnings: string[] = [];

  // 0. Renames (the diff below compares `from` as it is after them).
  for (const r of renames.tables) steps.push({ code: { kind: 'renameTable', schema: r.schema, from: r.from, to: r.to } });
  for (const r of renames.columns) steps.push(renameColumnStep({ schema: r.schema, name: r.table }, r.from, r.to));

  const oldTables = byKey(from.tables, (t) => key(t.schema, t.name));
  const newTables = byKey(to.tables, (t) => key(t.schema, t.name));
  const keptTables = to.tables.filter((t) => oldTables.has(key(t.schema, t.name)));
  const addedTables = to.tables.filter((t) => !oldTables.has(key(t.schema, t.name)));
  const droppedTables = from.tables.filter((t) => !newTables.has(key(t.schema, t.name)));

  // Columns whose type changes or that go: views reading their table are recreated around the change.
  const reshapedTables = new Set<string>();
  for (const now of keptTables) {
    const old = oldTables.get(key(now.schema, now.name))!;
    const newColumns = byKey(now.columns, (c) => c.name);
    if (old.columns.some((c) => !newColumns.has(c.name) || newColumns.get(c.name)!.type !== c.type || newColumns.get(c.name)!.generated !== c.generated)) {
      reshapedTables.add(key(now.schema, now.name));
    }
  }
  for (const t of droppedTables) reshapedTables.add(key(t.schema, t.name));

  const views = planViews(from.views, to.views, reshapedTables);
  const triggers = planTriggers(from.triggers, to.triggers, droppedTables);

  // 1. Out of the way: triggers and views that go or change, foreign keys, constraints and indexes that go or change.
  steps.push(...triggers.drop.map((t) => raw(`drop trigger ${quoteIdent(t.name)} on ${qualify(t.schema, t.table)}`)));
  steps.push(...views.drop.map((v) => raw(dropView(v))));
  const constraintDrops: MigrationStep[] = [];
  const foreignDrops: MigrationStep[] = [];
  const indexDrops: MigrationStep[] = [];
  for (const now of keptTables) {
    const old = oldTables.get(key(now.schema, now.name))!;
    const newConstraints = byKey(now.constraints, (c) => c.name);
    for (const c of old.constraints) {
      const next = newConstraints.get(c.name);
      if (!next || !sameConstraint(c, next)) (c.kind === 'foreign' ? foreignDrops : constraintDrops).push(dropConstraintStep(now, c));
    }
    const oldIndexNames = new Set(old.constraints.map((c) => c.name));
    const newIndexes = byKey(standaloneIndexes(now), (i) => i.name);
    for (const i of old.indexes.filter((x) => x.constraint === null || !oldIndexNames.has(x.constraint))) {
      const next = newIndexes.get(i.name);
      if (!next || !sameIndex(i, next)) indexDrops.push(dropIndexStep(now.schema, i));
    }
  }
  // Foreign keys into tables that are dropped, from tables that stay, were listed above (the constraint is gone in `to`).
  steps.push(...foreignDrops, ...constraintDrops, ...indexDrops);

  // 2. Schemas, extensions, types, sequences, functions.
  const oldSchemas = new Set(from.schemas);
  for (const s of to.schemas) if (!oldSchemas.has(s)) steps.push(...createSchema(s, to.schemaComments?.[s]).map((sql) => raw(sql)));
  if (from.schemaComments !== undefined && to.schemaComments !== undefined) {
    for (const s of to.schemas) {
      if (oldSchemas.has(s) && (from.schemaComments[s] ?? null) !== (to.schemaComments[s] ?? null)) {
        steps.push(raw(commentOn(`schema ${quoteIdent(s)}`, to.schemaComments[s] ?? null)));
      }
    }
  }
  const oldExtensions = byKey(from.extensions, (e) => e.name);
  const newExtensions = byKey(to.extensions, (e) => e.name);
  for (const e of to.extensions) {
    const was = oldExtensions.get(e.name);
    if (!was) steps.push(raw(createExtensionSql(e)));
    else if (was.schema !== e.schema) steps.push(raw(`alter extension ${quoteIdent(e.name)} set schema ${quoteIdent(e.schema)}`));
  }
  const types = planTypeChanges(from, to);
  steps.push(...types.create);
  warnings.push(...types.warnings);

  const serialSequences = new Set<string>();
  // The builder declares serial columns (their sequence comes with them); plain SQL creates the sequence itself.
  if (!options.sqlOnly) {
    for (const t of to.tables) for (const s of serialColumns(t, to.sequences).values()) serialSequences.add(key(s.sequence.schema, s.sequence.name));
  }
  const oldSequences = byKey(from.sequences, (s) => key(s.schema, s.name));
  const newSequences = byKey(to.sequences, (s) => key(s.schema, s.name));
  for (const s of to.sequences) {
    const was = oldSequences.get(key(s.schema, s.name));
    // A serial column of a new table or a new column creates its own sequence.
    if (!was && !createdBySerial(s, oldTables, serialSequences)) steps.push(...createSequence(s).map((sql) => raw(sql)));
    if (was) steps.push(...alterSequenceSteps(was, s));
  }

  const functions = planFunctions(from, to);
  if (functions.create.length) steps.push(raw('set local check_function_bodies = false', 'Function bodies may name tables created further down'));
  steps.push(...functions.create);

  // 3. Tables: created, altered column by column, their constraints and indexes.
  for (const t of addedTables) steps.push(...createTableSteps(t, to.sequences, options.sqlOnly));
  const addConstraints: MigrationStep[] = [];
  const addIndexes: MigrationStep[] = [];
  const addForeignKeys: MigrationStep[] = [];
  for (const now of keptTables) {
    const old = oldTables.get(key(now.schema, now.name))!;
    const oldColumns = byKey(old.columns, (c) => c.name);
    const newColumns = byKey(now.columns, (c) => c.name);
    for (const c of now.columns) {
      const was = oldColumns.get(c.name);
      if (!was) steps.push(...addColumnSteps(now, c, to.sequences));
      else if (!same(columnShape(was), columnShape(c))) steps.push(...alterColumnSteps(now, was, c, to.sequences));
    }
    for (const c of old.columns) {
      if (!newColumns.has(c.name)) {
        steps.push(dropColumnStep(now, c));
        dataLoss.push(`column ${now.schema}.${now.name}.${c.name}`);
      }
    }
    steps.push(...alterTablePropertiesSteps(old, now));
    const oldConstraints = byKey(old.constraints, (c) => c.name);
    for (const c of now.constraints) {
      const was = oldConstraints.get(c.name);
      if (!was || !sameConstraint(was, c)) (c.kind === 'foreign' ? addForeignKeys : addConstraints).push(...addConstraintSteps(now, c));
      else if ((was.comment ?? null) !== (c.comment ?? null) && was.comment !== undefined && c.comment !== undefined) addConstraints.push(raw(constraintComment(now, c)));
    }
    const oldIndexNames = new Set(old.constraints.map((c) => c.name));
    const oldIndexes = byKey(old.indexes.filter((x) => x.constraint === null || !oldIndexNames.has(x.constraint)), (i) => i.name);
    for (const i of standaloneIndexes(now)) {
      const was = oldIndexes.get(i.name);
      if (!was || !sameIndex(was, i)) addIndexes.push(...indexSteps(now.schema, now.name, i));
      else if ((was.comment ?? null) !== (i.comment ?? null) && was.comment !== undefined && i.comment !== undefined) {
        addIndexes.push(raw(commentOn(`index ${qualify(now.schema, i.name)}`, i.comment ?? null)));
      }
    }
  }
  steps.push(...addConstraints, ...addIndexes);
  for (const t of addedTables) {
    for (const c of t.constraints.filter(isPostDataConstraint)) {
      addForeignKeys.push(...(options.sqlOnly ? addConstraint(t, c).map((sql) => raw(sql)) : addConstraintSteps(t, c)));
    }
  }

  // 4. Tables that go (referencing ones first), then foreign keys (their targets all exist now).
  steps.push(...dropTablesSteps(droppedTables, options.sqlOnly));
  for (const t of droppedTables) dataLoss.push(`table ${t.schema}.${t.name}`);
  steps.push(...addForeignKeys);

  // 5. Views and triggers, sequence ownership.
  steps.push(...views.create.flatMap((v) => viewSteps(v)));
  steps.push(...triggers.create.flatMap((t) => createTrigger(t).map((sql) => raw(sql))));
  for (const t of triggers.comment) steps.push(raw(commentOn(`trigger ${quoteIdent(t.name)} on ${qualify(t.schema, t.table)}`, t.comment ?? null)));
  for (const v of views.comment) steps.push(raw(commentOn(`${v.materialized ? 'materialized view' : 'view'} ${qualify(v.schema, v.name)}`, v.comment)));
  for (const s of to.sequences) {
    const was = oldSequences.get(key(s.schema, s.name));
    if (serialSequences.has(key(s.schema, s.name)) && !was) continue;
    if (!same(was?.ownedBy ?? null, s.ownedBy)) {
      steps.push(...(s.ownedBy ? ownSequence(s) : [`alter sequence ${qualify(s.schema, s.name)} owned by none`]).map((sql) => raw(sql)));
    }
  }

  // 6. What nothing uses any more.
  const droppedTableKeys = new Set(droppedTables.map((t) => key(t.schema, t.name)));
  for (const s of from.sequences) {
    if (newSequences.has(key(s.schema, s.name))) continue;
    // Owned sequences go with their table or column.
    const owner = s.ownedBy ? oldTables.get(key(s.schema, s.ownedBy.table)) : undefined;
    const ownerGone = s.ownedBy && (droppedTableKeys.has(key(s.schema, s.ownedBy.table)) || !newTables.get(key(s.schema, s.ownedBy.table))?.columns.some((c) => c.name === s.ownedBy!.column));
    if (owner && ownerGone) continue;
    steps.push(raw(`drop sequence ${qualify(s.schema, s.name)}`));
  }
  steps.push(...functions.drop);
  steps.push(...types.drop);
  for (const e of from.extensions) if (!newExtensions.has(e.name)) steps.push(raw(`drop extension ${quoteIdent(e.name)}`));
  const newSchemas = new Set(to.schemas);
  for (const s of [...from.schemas].reverse()) if (!newSchemas.has(s)) steps.push(raw(`drop schema ${quoteIdent(s)}`));

  if (types.irreversible.length) steps.unshift(...types.irreversible.map((message) => fail(message)));
  return { steps, dataLoss, warnings };
}

/** A column's defining fields (the comment is compared separately when both sides have one). */
function columnShape(c: Column): unknown {
  return { ...c, comment: c.comment, identitySequence: c.identitySequence === undefined ? undefined : c.identitySequence };
}

function createdBySerial(s: Sequence, oldTables: Map<string, Table>, serials: Set<string>): boolean {
  if (!serials.has(key(s.schema, s.name)) || !s.ownedBy) return false;
  const table = oldTables.get(key(s.schema, s.ownedBy.table));
  return !table || !table.columns.some((c) => c.name === s.ownedBy!.column);
}

function alterSequenceSteps(was: Sequence, now: Sequence): MigrationStep[] {
  const parts: string[] = [];
  if (was.dataType !== now.dataType) parts.push(`as ${now.dataType}`);
  if (was.increment !== now.increment) parts.push(`increment by ${now.increment}`);
  if (was.min !== now.min) parts.push(`minvalue ${now.min}`);
  if (was.max !== now.max) parts.push(`maxvalue ${now.max}`);
  if (was.start !== now.start) parts.push(`start with ${now.start}`);
  if (was.cache !== now.cache) parts.push(`cache ${now.cache}`);
  if (was.cycle !== now.cycle) parts.push(now.cycle ? 'cycle' : 'no cycle');
  const steps = parts.length ? [raw(`alter sequence ${qualify(now.schema, now.name)} ${parts.join(' ')}`)] : [];
  if (was.comment !== undefined && now.comment !== undefined && (was.comment ?? null) !== (now.comment ?? null)) {
    steps.push(raw(commentOn(`sequence ${qualify(now.schema, now.name)}`, now.comment ?? null)));
  }
  return steps;
}

function planFunctions(from: SchemaSnapshot, to: SchemaSnapshot): { create: MigrationStep[]; drop: MigrationStep[] } {
  const id = (f: { schema: string; name: string; arguments: string }) => `${f.schema}.${f.name}(${f.arguments})`;
  const old = byKey(from.functions, id);
  const now = byKey(to.functions, id);
  const create: MigrationStep[] = [];
  const drop: MigrationStep[] = [];
  for (const f of to.functions) {
    const was = old.get(id(f));
    if (!was) {
      create.push(...createFunction(f).map((sql) => raw(sql)));
      continue;
    }
    if (was.definition !== f.definition || was.returns !== f.returns || was.kind !== f.kind) {
      // CREATE OR REPLACE cannot change the result type or the kind: drop first then.
      if (was.returns !== f.returns || was.kind !== f.kind) create.push(raw(`drop ${routineSignature(was)}`));
      create.push(...createFunction({ ...f, comment: null }).map((sql) => raw(sql)));
    }
    if (was.comment !== f.comment || was.returns !== f.returns || was.kind !== f.kind) {
      if (f.comment !== null || was.comment !== null) create.push(raw(commentOn(routineSignature(f), f.comment)));
    }
  }
  for (const f of from.functions) if (!now.has(id(f)) && f.kind !== 'aggregate') drop.push(raw(`drop ${routineSignature(f)}`));
  return { create, drop };
}

/** Views to drop before the table changes and (re)create after: changed ones, those reading reshaped tables, and their dependents. */
function planViews(before: readonly View[], after: readonly View[], reshapedTables: Set<string>): { drop: View[]; create: View[]; comment: View[] } {
  const old = byKey(before, (v) => key(v.schema, v.name));
  const now = byKey(after, (v) => key(v.schema, v.name));
  const recreate = new Set<string>();
  for (const v of before) {
    const next = now.get(key(v.schema, v.name));
    const readsReshaped = [...reshapedTables].some((t) => v.definition.includes(t.split('.').map(quotePrinted).join('.')));
    if (!next || readsReshaped || next.definition !== v.definition || next.materialized !== v.materialized || !same(next.options ?? null, v.options ?? null) || !same(next.indexes.map((i) => i.definition), v.indexes.map((i) => i.definition))) {
      recreate.add(key(v.schema, v.name));
    }
  }
  // Whatever reads a view that is dropped must go first and come back after.
  let grew = true;
  while (grew) {
    grew = false;
    for (const v of before) {
      const k = key(v.schema, v.name);
      if (!recreate.has(k) && v.dependsOn.some((d) => recreate.has(d))) {
        recreate.add(k);
        grew = true;
      }
    }
  }
  const drop = orderViewsByDependency(before.filter((v) => recreate.has(key(v.schema, v.name)))).reverse();
  const create = orderViewsByDependency(after.filter((v) => !old.has(key(v.schema, v.name)) || recreate.has(key(v.schema, v.name))));
  const comment = after.filter((v) => {
    const was = old.get(key(v.schema, v.name));
    return was && !recreate.has(key(v.schema, v.name)) && was.comment !== v.comment;
  });
  return { drop, create, comment };
}

function viewSteps(v: View): MigrationStep[] {
  const statements = createView(v).map((sql) => sql.replace(/\nwith no data$/, ''));
  return [...statements, ...v.indexes.flatMap((i) => [i.definition, ...(i.comment ? [commentOn(`index ${qualify(v.schema, i.name)}`, i.comment)] : [])])].map((sql) => raw(sql));
}

function planTriggers(before: readonly Trigger[], after: readonly Trigger[], droppedTables: readonly Table[]): { drop: Trigger[]; create: Trigger[]; comment: Trigger[] } {
  const id = (t: Trigger) => `${t.schema}.${t.table}.${t.name}`;
  const gone = new Set(droppedTables.map((t) => key(t.schema, t.name)));
  const old = byKey(before, id);
  const now = byKey(after, id);
  const drop = before.filter((t) => !gone.has(key(t.schema, t.table)) && (!now.has(id(t)) || now.get(id(t))!.definition !== t.definition));
  const create = after.filter((t) => !old.has(id(t)) || old.get(id(t))!.definition !== t.definition);
  const comment = after.filter((t) => {
    const was = old.get(id(t));
    return was && was.definition === t.definition && was.comment !== undefined && t.comment !== undefined && (was.comment ?? null) !== (t.comment ?? null);
  });
  return { drop, create, comment };
}

/** Each table dropped before the tables it references; tables that reference each other in a cycle go in one statement. */
function dropTablesSteps(tables: readonly Table[], sqlOnly = false): MigrationStep[] {
  const steps: MigrationStep[] = [];
  const remaining = [...tables];
  const referencedByOthers = (t: Table) =>
    remaining.some((other) => other !== t && other.constraints.some((c) => c.references && key(c.references.schema, c.references.table) === key(t.schema, t.name)));
  while (remaining.length) {
    const index = remaining.findIndex((t) => !referencedByOthers(t));
    if (index < 0) {
      steps.push(raw(`drop table ${remaining.map((t) => qualify(t.schema, t.name)).join(', ')}`, 'These tables reference each other: dropped together'));
      break;
    }
    const [next] = remaining.splice(index, 1);
    steps.push(sqlOnly ? raw(`drop table ${qualify(next.schema, next.name)}`) : { code: { kind: 'dropTable', schema: next.schema, table: next.name } });
  }
  return steps;
}
