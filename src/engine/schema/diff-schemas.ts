/**
 * Structural diff of two snapshots: objects matched by qualified name (functions by name and
 * argument types), changes listed per object in a stable order — schemas, extensions, enums,
 * domains, composite and range types, sequences, functions, then each table with its columns,
 * constraints and indexes, views, triggers.
 */
import type { ChangeOf, ObjectKind, SchemaChange, SchemaDiff, SchemaItem, SchemaSnapshot, Table, View } from '../../shared/schema';

/** The snapshot value a change of `kind` carries. */
type ValueOf<K extends ObjectKind> = NonNullable<ChangeOf<K>['before']>;
import { sortByKeys } from './compare-text';

/** Everything that differs from `before` to `after`. */
export function diffSchemas(before: SchemaSnapshot, after: SchemaSnapshot): SchemaDiff {
  const changes: SchemaChange[] = [
    ...diffLists('schema', schemaItems(before, after), schemaItems(after, before), (s) => s.name),
    ...diffLists('extension', before.extensions, after.extensions, (e) => e.name),
    ...diffLists('enum', before.enums, after.enums, (e) => `${e.schema}.${e.name}`),
    ...diffOptionalLists('domain', before.domains, after.domains, (d) => `${d.schema}.${d.name}`),
    ...diffOptionalLists('type', before.composites, after.composites, (t) => `${t.schema}.${t.name}`),
    ...diffOptionalLists('type', before.ranges, after.ranges, (t) => `${t.schema}.${t.name}`),
    ...diffLists('sequence', before.sequences, after.sequences, (s) => `${s.schema}.${s.name}`),
    ...diffLists('function', before.functions, after.functions, (f) => `${f.schema}.${f.name}(${f.arguments})`),
    ...diffTables(before.tables, after.tables),
    ...diffViews(before.views, after.views),
    ...diffLists('trigger', withoutNewOrGoneTables(before, after), withoutNewOrGoneTables(after, before), (t) => `${t.schema}.${t.table}.${t.name}`),
  ];
  return { changes };
}

/**
 * Schemas as items with their comment — when both snapshots record schema comments (older ones
 * did not: then only presence is compared).
 */
function schemaItems(snapshot: SchemaSnapshot, other: SchemaSnapshot): SchemaItem[] {
  const withComments = snapshot.schemaComments !== undefined && other.schemaComments !== undefined;
  return snapshot.schemas.map((name) => (withComments ? { name, comment: snapshot.schemaComments?.[name] ?? null } : { name }));
}

/** A list older snapshots do not have: compared only when both sides have it. */
function diffOptionalLists<K extends ObjectKind>(kind: K, before: readonly ValueOf<K>[] | undefined, after: readonly ValueOf<K>[] | undefined, nameOf: (item: ValueOf<K>) => string): SchemaChange[] {
  if (before === undefined || after === undefined) return [];
  return diffLists(kind, before, after, nameOf);
}

/** Number of changes of each sort. */
export function countSchemaChanges(diff: SchemaDiff): { added: number; changed: number; removed: number } {
  const count = (change: SchemaChange['change']) => diff.changes.filter((c) => c.change === change).length;
  return { added: count('added'), changed: count('changed'), removed: count('removed') };
}

function diffTables(before: readonly Table[], after: readonly Table[]): SchemaChange[] {
  const nameOf = (t: Table) => `${t.schema}.${t.name}`;
  return diffLists('table', before, after, nameOf, ['columns', 'constraints', 'indexes'], (old, now) => {
    const prefix = `${nameOf(now)}.`;
    return [
      ...diffLists('column', old.columns, now.columns, (c) => prefix + c.name),
      ...diffLists('constraint', old.constraints, now.constraints, (c) => prefix + c.name),
      ...diffLists('index', old.indexes, now.indexes, (i) => prefix + i.name),
    ];
  });
}

function diffViews(before: readonly View[], after: readonly View[]): SchemaChange[] {
  const nameOf = (v: View) => `${v.schema}.${v.name}`;
  // dependsOn follows from the definition: reporting it too would only repeat the change.
  return diffLists('view', before, after, nameOf, ['indexes', 'dependsOn'], (old, now) =>
    diffLists('index', old.indexes, now.indexes, (i) => `${nameOf(now)}.${i.name}`),
  );
}

/** Triggers of `snapshot` whose table or view also exists in `other` (the rest go with their table). */
function withoutNewOrGoneTables(snapshot: SchemaSnapshot, other: SchemaSnapshot) {
  const relations = new Set([...other.tables, ...other.views].map((r) => `${r.schema}.${r.name}`));
  return snapshot.triggers.filter((t) => relations.has(`${t.schema}.${t.table}`));
}

/**
 * Added, removed and changed items of two lists matched by `nameOf`, in name order. Fields named in
 * `nested` are left out of the comparison and handled by `inner` for items present on both sides.
 */
function diffLists<K extends ObjectKind>(
  kind: K,
  before: readonly ValueOf<K>[],
  after: readonly ValueOf<K>[],
  nameOf: (item: ValueOf<K>) => string,
  nested: readonly string[] = [],
  inner?: (before: ValueOf<K>, after: ValueOf<K>) => SchemaChange[],
): SchemaChange[] {
  // TypeScript cannot tie a generic kind to its variant: the parameters above do.
  const change = (c: { name: string; change: SchemaChange['change']; before?: unknown; after?: unknown; fields?: string[] }) => ({ kind, ...c }) as ChangeOf<K>;
  const old = new Map(before.map((item) => [nameOf(item), item]));
  const now = new Map(after.map((item) => [nameOf(item), item]));
  const names = sortByKeys([...new Set([...old.keys(), ...now.keys()])], (n) => [n]);
  const changes: SchemaChange[] = [];
  for (const name of names) {
    const a = old.get(name);
    const b = now.get(name);
    if (a === undefined && b !== undefined) changes.push(change({ name, change: 'added', after: b }));
    else if (a !== undefined && b === undefined) changes.push(change({ name, change: 'removed', before: a }));
    else if (a !== undefined && b !== undefined) {
      const fields = changedFields(a, b, nested);
      if (fields.length > 0) changes.push(change({ name, change: 'changed', before: a, after: b, fields }));
      if (inner) changes.push(...inner(a, b));
    }
  }
  return changes;
}

/** Fields that differ; a field one side lacks (a snapshot recorded before it existed) is not compared. */
function changedFields(a: unknown, b: unknown, skip: readonly string[]): string[] {
  if (!isRecord(a) || !isRecord(b)) return sameValue(a, b) ? [] : ['value'];
  const keys = sortByKeys([...new Set([...Object.keys(a), ...Object.keys(b)])], (k) => [k]);
  return keys.filter((k) => !skip.includes(k) && a[k] !== undefined && b[k] !== undefined && !sameValue(a[k], b[k]));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep equality that ignores key order (snapshots read back from JSON may order keys differently) and fields one side lacks. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => a[k] === undefined || b[k] === undefined || sameValue(a[k], b[k]));
  }
  return false;
}
