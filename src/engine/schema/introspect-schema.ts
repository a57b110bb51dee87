/**
 * Reads a PostgreSQL database's user schemas into a `SchemaSnapshot`: one catalog query per object
 * kind, all on the caller's connection (works inside a transaction and on PGlite), sorted so equal
 * schemas give equal snapshots. What it sees but cannot capture is named in `unsupported`.
 */
import type { CompositeType, DomainType, Index, RangeType, SchemaSnapshot, Sequence, Table, Trigger, View } from '../../shared/schema';
import type { Knex } from 'knex';
import { StepstoneError } from '../errors';
import { queryRows, readCatalog, type Queryable } from './catalog-session';
import { sortByKeys } from './compare-text';
import { queryExtensions, querySchemas } from './query-namespaces';
import { queryColumns, queryRelations, type RelationRow } from './query-relations';
import { queryConstraints } from './query-constraints';
import { queryIndexes } from './query-indexes';
import { queryTypes, type TypeRow } from './query-types';
import { querySequences } from './query-sequences';
import { queryRoutines } from './query-routines';
import { queryTriggers } from './query-triggers';
import { queryUnsupportedObjects } from './query-unsupported';
import {
  describeColumnGaps,
  describeIndexGap,
  describeRelationGaps,
  describeRoutineGaps,
  describeSchemaGap,
  describeTriggerGap,
  describeTypeGap,
} from './describe-gaps';

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
  // Known after the first read on this Knex: the columns query then goes out with the others
  // instead of one round trip after them (a dry run introspects after every migration).
  const knownVersion = versionKey(db) ? serverVersions.get(versionKey(db)!) : undefined;
  const raw = await readCatalog(db, {
    // The slow ones first: when they run side by side on several connections, they set the pace.
    columns: async (q) => queryColumns(q, schemas, knownVersion ?? (await serverVersionNum(q, db))),
    indexes: (q) => queryIndexes(q, schemas),
    constraints: (q) => queryConstraints(q, schemas),
    relations: (q) => queryRelations(q, schemas),
    sequences: (q) => querySequences(q, schemas),
    types: (q) => queryTypes(q, schemas),
    routines: (q) => queryRoutines(q, schemas),
    triggers: (q) => queryTriggers(q, schemas),
    others: (q) => queryUnsupportedObjects(q, schemas),
    schemas: (q) => querySchemas(q, schemas),
    extensions: (q) => queryExtensions(q, schemas),
  });

  const excluded = tableExcluder(options.excludeTables ?? []);
  const keep = <T extends { schema: string; table: string }>(row: T) => !excluded(row.schema, row.table);
  const relations = raw.relations.filter((r) => !(isTable(r) && excluded(r.schema, r.name)));
  const columns = raw.columns.filter(keep);
  const indexes = raw.indexes.filter(keep);

  const tables = new Map<string, Table>();
  for (const r of sortByKeys(relations.filter(isTable), (t) => [t.schema, t.name])) {
    tables.set(key(r.schema, r.name), {
      schema: r.schema,
      name: r.name,
      columns: [],
      constraints: [],
      indexes: [],
      comment: r.comment,
      unlogged: r.unlogged,
      options: r.options ?? [],
    });
  }
  // Rows come grouped by table (columns in table order, the rest sorted by name): remember the
  // last table found instead of building a key for each of tens of thousands of rows.
  let last: { schema: string; name: string; table: Table | undefined } = { schema: '', name: '', table: undefined };
  const tableOf = (schema: string, name: string): Table | undefined => {
    if (last.schema !== schema || last.name !== name) last = { schema, name, table: tables.get(key(schema, name)) };
    return last.table;
  };
  const identitySequences = new Map(raw.sequences.identity.map((s) => [key(s.schema, `${s.ownedBy.table}\u0000${s.ownedBy.column}`), s]));
  for (const { schema, table, column } of columns) {
    const sequence = column.identity ? identitySequences.get(key(schema, `${table}\u0000${column.name}`)) : undefined;
    if (sequence) column.identitySequence = { start: sequence.start, increment: sequence.increment, min: sequence.min, max: sequence.max, cycle: sequence.cycle, cache: sequence.cache };
    tableOf(schema, table)?.columns.push(column);
  }
  for (const { schema, table, constraint } of sortByKeys(raw.constraints, (c) => [c.constraint.name])) {
    tableOf(schema, table)?.constraints.push(constraint);
  }
  const viewIndexes = new Map<string, Index[]>();
  for (const { schema, table, index } of sortByKeys(indexes, (i) => [i.index.name])) {
    const target = tableOf(schema, table);
    if (target) target.indexes.push(index);
    else {
      const list = viewIndexes.get(key(schema, table));
      if (list) list.push(index);
      else viewIndexes.set(key(schema, table), [index]);
    }
  }

  const views: View[] = sortByKeys(relations.filter(isView), (v) => [v.schema, v.name]).map((r) => ({
    schema: r.schema,
    name: r.name,
    materialized: r.kind === 'm',
    definition: (r.viewDefinition ?? '').trim().replace(/;$/, ''),
    dependsOn: [...r.dependsOn].sort(),
    indexes: viewIndexes.get(key(r.schema, r.name)) ?? [],
    comment: r.comment,
    options: r.options ?? [],
  }));

  const sequences: Sequence[] = raw.sequences.sequences.filter((s) => !(s.ownedBy && excluded(s.schema, s.ownedBy.table)));
  const triggers: Trigger[] = raw.triggers.filter(keep).map(({ enabled: _enabled, ...t }) => t);
  const types = sortByKeys(raw.types, (t) => [t.schema, t.name]);

  return {
    schemas: sortByKeys(
      raw.schemas.map((s) => s.name),
      (s) => [s],
    ),
    extensions: sortByKeys(raw.extensions, (e) => [e.name]),
    tables: [...tables.values()],
    enums: types.filter((t) => t.kind === 'e').map((t) => ({ schema: t.schema, name: t.name, values: t.values, comment: t.comment })),
    sequences: sortByKeys(sequences, (s) => [s.schema, s.name]),
    views,
    functions: sortByKeys(
      raw.routines.map(({ hasGrants: _hasGrants, ...f }) => f),
      (f) => [f.schema, f.name, f.arguments],
    ),
    triggers: sortByKeys(triggers, (t) => [t.schema, t.table, t.name]),
    schemaComments: Object.fromEntries(
      sortByKeys(raw.schemas.filter((s) => s.comment !== null), (s) => [s.name]).map((s) => [s.name, s.comment as string]),
    ),
    domains: types.filter((t) => t.kind === 'd').map(toDomain),
    composites: types.filter((t) => t.kind === 'c').map(toComposite),
    ranges: types.filter((t) => t.kind === 'r').map(toRange),
    unsupported: sortByKeys(
      [
        ...raw.schemas.flatMap(describeSchemaGap),
        ...relations.flatMap(describeRelationGaps),
        ...columns.flatMap(describeColumnGaps),
        ...indexes.flatMap(describeIndexGap),
        ...raw.types.flatMap(describeTypeGap),
        ...raw.routines.flatMap(describeRoutineGaps),
        ...raw.triggers.filter(keep).flatMap(describeTriggerGap),
        ...raw.others,
      ],
      (s) => [s],
    ),
  };
}

/** server_version_num by the Knex it was read through (its config object, shared with its transactions). */
const serverVersions = new WeakMap<object, number>();

function versionKey(db: Queryable): object | undefined {
  const config = (db as Knex).client?.config as unknown;
  return typeof config === 'object' && config !== null ? config : undefined;
}

async function serverVersionNum(q: Queryable, db: Queryable): Promise<number> {
  const [{ version }] = await queryRows<{ version: number }>(q, `select current_setting('server_version_num')::int as version`);
  const key = versionKey(db);
  if (key) serverVersions.set(key, Number(version));
  return Number(version);
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

function toDomain(t: TypeRow): DomainType {
  return {
    schema: t.schema,
    name: t.name,
    type: t.baseType ?? '',
    collation: t.collation,
    default: t.default,
    notNull: t.notNull,
    constraints: t.constraints ?? [],
    comment: t.comment,
  };
}

function toComposite(t: TypeRow): CompositeType {
  return { schema: t.schema, name: t.name, attributes: t.attributes ?? [], comment: t.comment };
}

function toRange(t: TypeRow): RangeType {
  return { schema: t.schema, name: t.name, subtype: t.subtype ?? '', comment: t.comment };
}
