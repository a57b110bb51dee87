/** What introspection saw but does not capture, in plain words for the snapshot's `unsupported` list. */
import type { RelationRow, ColumnRow } from './query-relations';
import type { TypeRow } from './query-types';
import type { RoutineRow } from './query-routines';
import type { TriggerRow } from './query-triggers';
import type { IndexRow } from './query-indexes';
import type { SchemaRow } from './query-namespaces';

export function describeRelationGaps(r: RelationRow): string[] {
  const name = `${r.schema}.${r.name}`;
  const gaps: string[] = [];
  if (r.kind === 'f') gaps.push(`foreign table ${name}`);
  if (r.kind === 'p') gaps.push(`partitioning of ${name} (captured as a plain table)`);
  if (r.isPartition) gaps.push(`partition ${name} (captured as a plain table)`);
  if (r.inherits) gaps.push(`inheritance of ${name} (captured as a plain table)`);
  if (r.typedTable) gaps.push(`typed table ${name} (OF type; captured as a plain table)`);
  if (r.rowSecurity || r.forceRowSecurity) gaps.push(`row-level security on ${name}`);
  if (r.replicaIdentity) gaps.push(`replica identity of ${name}`);
  if (r.hasGrants) gaps.push(`grants on ${name}`);
  if (r.viewColumnComments) gaps.push(`comments on columns of view ${name}`);
  return gaps;
}

export function describeColumnGaps(c: ColumnRow): string[] {
  if (!c.storage && !c.compression && !c.statistics && !c.grants) return [];
  const name = `${c.schema}.${c.table}.${c.column.name}`;
  const gaps: string[] = [];
  if (c.storage) gaps.push(`storage setting of column ${name}`);
  if (c.compression) gaps.push(`compression setting of column ${name}`);
  if (c.statistics) gaps.push(`statistics target of column ${name}`);
  if (c.grants) gaps.push(`grants on column ${name}`);
  return gaps;
}

export function describeTypeGap(t: TypeRow): string[] {
  if (t.kind === 'b') return [`base type ${t.schema}.${t.name}`];
  if (t.kind === 'r' && t.rangeOptions) return [`options of range type ${t.schema}.${t.name} (only its subtype is captured)`];
  return [];
}

export function describeRoutineGaps(r: RoutineRow): string[] {
  const name = `${r.schema}.${r.name}(${r.arguments})`;
  const gaps: string[] = [];
  if (r.kind === 'aggregate') gaps.push(`definition of aggregate ${name}`);
  if (r.hasGrants) gaps.push(`grants on ${r.kind} ${name}`);
  return gaps;
}

export function describeTriggerGap(t: TriggerRow): string[] {
  return t.enabled ? [] : [`disabled state of trigger ${t.name} on ${t.schema}.${t.table}`];
}

export function describeIndexGap(i: IndexRow): string[] {
  return i.clustered ? [`CLUSTER ON ${i.schema}.${i.index.name} (table ${i.table})`] : [];
}

export function describeSchemaGap(s: SchemaRow): string[] {
  return s.hasGrants ? [`grants on schema ${s.name}`] : [];
}
