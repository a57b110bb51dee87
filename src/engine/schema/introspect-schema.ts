/**
 * Reads a PostgreSQL database's user schemas into a `SchemaSnapshot`: one catalog query per object
 * kind, all on the caller's connection (works inside a transaction and on PGlite), sorted so equal
 * schemas give equal snapshots.
 */
import type { Index, SchemaSnapshot, Sequence, Table, Trigger, View } from '../../shared/schema';
import { StepstoneError } from '../errors';
import { withCatalogSession, type Queryable } from './catalog-session';
import { sortByKeys } from './compare-text';
import { queryExtensions, querySchemas } from './query-namespaces';
import { queryColumns, queryRelations, type RelationRow } from './query-relations';
import { queryConstraints } from './query-constraints';
import { queryIndexes, type IndexRow } from './query-indexes';
import { queryTypes, type TypeRow } from './query-types';
import { querySequences } from './query-sequences';
import { queryRoutines, type RoutineRow } from './query-routines';
import { queryTriggers, type TriggerRow } from './query-triggers';
import { queryUnsupportedObjects } from './query-unsupported';

export interface IntrospectOptions {
  /** Only these schemas (default: every user schema). */
  schemas?: string[];
  /** Tables to leave out, as "name" (any schema) or "schema.name"; their triggers and owned sequences go too. */
  excludeTables?: string[];
}

/** Reads the user schemas of the database behind `db` (a Knex instance or transaction). */
export async function introspectSchema(db: Queryable, options: IntrospectOptions = {}): Promise<SchemaSnapshot> {
  checkOptions(options);
  const schemas = options.schemas;
  const raw = await withCatalogSession(db, async (q) => ({
    schemas: await querySchemas(q, schemas),
    extensions: await queryExtensions(q, schemas),
    relations: await queryRelations(q, schemas),
    columns: await queryColumns(q, schemas),
    constraints: await queryConstraints(q, schemas),
    indexes: await queryIndexes(q, schemas),
    types: await queryTypes(q, schemas),
    sequences: await querySequences(q, schemas),
    routines: await queryRoutines(q, schemas),
    triggers: await queryTriggers(q, schemas),
    others: await queryUnsupportedObjects(q, schemas),
  }));

  const excluded = tableExcluder(options.excludeTables ?? []);
  const keep = <T extends { schema: string; table: string }>(row: T) => !excluded(row.schema, row.table);
  const relations = raw.relations.filter((r) => !(isTable(r) && excluded(r.schema, r.name)));

  const tables = new Map<string, Table>();
  for (const r of sortByKeys(relations.filter(isTable), (t) => [t.schema, t.name])) {
    tables.set(key(r.schema, r.name), { schema: r.schema, name: r.name, columns: [], constraints: [], indexes: [], comment: r.comment });
  }
  for (const { schema, table, ...column } of raw.columns) tables.get(key(schema, table))?.columns.push(column);
  for (const { schema, table, ...constraint } of sortByKeys(raw.constraints, (c) => [c.name])) {
    tables.get(key(schema, table))?.constraints.push(constraint);
  }
  const viewIndexes = new Map<string, Index[]>();
  for (const row of sortByKeys(raw.indexes, (i) => [i.name])) {
    const { schema, table, ...index } = normaliseIndex(row);
    const target = tables.get(key(schema, table));
    if (target) target.indexes.push(index);
    else viewIndexes.set(key(schema, table), [...(viewIndexes.get(key(schema, table)) ?? []), index]);
  }

  const views: View[] = sortByKeys(relations.filter(isView), (v) => [v.schema, v.name]).map((r) => ({
    schema: r.schema,
    name: r.name,
    materialized: r.kind === 'm',
    definition: (r.viewDefinition ?? '').trim().replace(/;$/, ''),
    dependsOn: [...r.dependsOn].sort(),
    indexes: viewIndexes.get(key(r.schema, r.name)) ?? [],
    comment: r.comment,
  }));

  const sequences: Sequence[] = raw.sequences.filter((s) => !(s.ownedBy && excluded(s.schema, s.ownedBy.table)));
  const triggers: Trigger[] = raw.triggers.filter(keep).map(({ enabled: _enabled, ...t }) => t);

  return {
    schemas: sortByKeys(raw.schemas, (s) => [s]),
    extensions: sortByKeys(raw.extensions, (e) => [e.name]),
    tables: [...tables.values()],
    enums: sortByKeys(
      raw.types.filter((t) => t.kind === 'e'),
      (t) => [t.schema, t.name],
    ).map((t) => ({ schema: t.schema, name: t.name, values: t.values })),
    sequences: sortByKeys(sequences, (s) => [s.schema, s.name]),
    views,
    functions: sortByKeys(
      raw.routines.map(({ hasGrants: _hasGrants, ...f }) => f),
      (f) => [f.schema, f.name, f.arguments],
    ),
    triggers: sortByKeys(triggers, (t) => [t.schema, t.table, t.name]),
    unsupported: sortByKeys(
      [
        ...relations.flatMap(describeRelationGaps),
        ...raw.types.flatMap(describeTypeGap),
        ...raw.routines.flatMap(describeRoutineGaps),
        ...raw.triggers.filter(keep).flatMap(describeTriggerGap),
        ...raw.others,
      ],
      (s) => [s],
    ),
  };
}

function checkOptions(options: IntrospectOptions): void {
  for (const [name, list] of [
    ['schemas', options.schemas],
    ['excludeTables', options.excludeTables],
  ] as const) {
    if (list === undefined) continue;
    if (!Array.isArray(list) || list.some((s) => typeof s !== 'string' || s.length === 0)) {
      throw new StepstoneError('INVALID_INPUT', `Schema introspection option \`${name}\` must be a list of non-empty names.`, {
        hint: `Pass e.g. ${name === 'schemas' ? "['public']" : "['knex_migrations', 'public.audit_log']"}, or leave it out.`,
      });
    }
  }
}

function key(schema: string, name: string): string {
  return `${schema}\u0000${name}`;
}

function isTable(r: RelationRow): boolean {
  return r.kind === 'r' || r.kind === 'p';
}

function isView(r: RelationRow): boolean {
  return r.kind === 'v' || r.kind === 'm';
}

/** "name" excludes that table in every schema, "schema.name" only there. */
function tableExcluder(entries: readonly string[]): (schema: string, table: string) => boolean {
  const names = new Set(entries);
  return (schema, table) => names.has(table) || names.has(`${schema}.${table}`);
}

function normaliseIndex(row: IndexRow): IndexRow {
  return { ...row, keys: [...row.keys], predicate: row.predicate ?? null, constraint: row.constraint ?? null };
}

function describeRelationGaps(r: RelationRow): string[] {
  const name = `${r.schema}.${r.name}`;
  const gaps: string[] = [];
  if (r.kind === 'f') gaps.push(`foreign table ${name}`);
  if (r.kind === 'p') gaps.push(`partitioning of ${name} (captured as a plain table)`);
  if (r.isPartition) gaps.push(`partition ${name} (captured as a plain table)`);
  if (r.inherits) gaps.push(`inheritance of ${name} (captured as a plain table)`);
  if (r.unlogged) gaps.push(`unlogged setting of ${name}`);
  if (r.rowSecurity) gaps.push(`row-level security on ${name}`);
  if (r.hasGrants) gaps.push(`grants on ${name}`);
  if (r.hasOptions) gaps.push(`storage or view options of ${name}`);
  return gaps;
}

function describeTypeGap(t: TypeRow): string[] {
  const words: Record<string, string> = { d: 'domain', c: 'composite type', r: 'range type', b: 'base type' };
  return t.kind === 'e' ? [] : [`${words[t.kind] ?? 'type'} ${t.schema}.${t.name}`];
}

function describeRoutineGaps(r: RoutineRow): string[] {
  const name = `${r.schema}.${r.name}(${r.arguments})`;
  const gaps: string[] = [];
  if (r.kind === 'aggregate') gaps.push(`definition of aggregate ${name}`);
  if (r.hasGrants) gaps.push(`grants on ${r.kind} ${name}`);
  return gaps;
}

function describeTriggerGap(t: TriggerRow): string[] {
  return t.enabled ? [] : [`disabled state of trigger ${t.name} on ${t.schema}.${t.table}`];
}
