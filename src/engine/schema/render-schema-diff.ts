/** Plain-text rendering of a schema diff for the CLI and logs. */
import type { Column, CompositeType, Constraint, DomainType, EnumType, RangeType, Index, SchemaChange, SchemaDiff, Sequence, Table, View, FunctionDef } from '../../shared/schema';
import { countSchemaChanges } from './diff-schemas';

const MARK: Record<SchemaChange['change'], string> = { added: '+', removed: '-', changed: '~' };
const LONG = 60;

/** One line per change: `+ table public.users`, `~ column public.users.email: type text → varchar(320)`. */
export function renderSchemaDiff(diff: SchemaDiff): string {
  if (diff.changes.length === 0) return 'No schema changes.';
  return diff.changes.map(renderChange).join('\n');
}

/** "3 added, 1 changed, 0 removed". */
export function summarizeSchemaDiff(diff: SchemaDiff): string {
  const { added, changed, removed } = countSchemaChanges(diff);
  return `${added} added, ${changed} changed, ${removed} removed`;
}

function renderChange(c: SchemaChange): string {
  const head = `${MARK[c.change]} ${c.kind} ${c.name}`;
  const detail = c.change === 'changed' ? describeChanged(c) : describeObject(c.kind, c.change === 'added' ? c.after : c.before);
  return detail ? `${head}: ${detail}` : head;
}

/** A short description of an added or removed object. */
function describeObject(kind: SchemaChange['kind'], value: unknown): string {
  if (typeof value !== 'object' || value === null) return '';
  switch (kind) {
    case 'column': {
      const c = value as Column;
      return [c.type, c.nullable ? '' : 'not null', c.identity ? `identity ${c.identity}` : '', c.default !== null ? `default ${c.default}` : '', c.generated !== null ? `generated as (${c.generated})` : '']
        .filter(Boolean)
        .join(' ');
    }
    case 'constraint':
      return shorten((value as Constraint).definition);
    case 'index': {
      const i = value as Index;
      return `${i.unique ? 'unique ' : ''}${i.method} (${i.keys.join(', ')})${i.predicate ? ` where ${shorten(i.predicate)}` : ''}`;
    }
    case 'enum':
      return (value as EnumType).values.map((v) => `'${v}'`).join(', ');
    case 'domain':
      return (value as DomainType).type;
    case 'type': {
      const t = value as Partial<CompositeType & RangeType>;
      return t.subtype ? `range of ${t.subtype}` : `${t.attributes?.length ?? 0} attributes`;
    }
    case 'sequence':
      return (value as Sequence).dataType;
    case 'table':
      return `${(value as Table).columns.length} columns`;
    case 'view':
      return (value as View).materialized ? 'materialized' : '';
    case 'function': {
      const f = value as FunctionDef;
      return f.kind === 'function' ? `returns ${f.returns}` : f.kind;
    }
    default:
      return '';
  }
}

function describeChanged(c: SchemaChange): string {
  const before = (c.before ?? {}) as Record<string, unknown>;
  const after = (c.after ?? {}) as Record<string, unknown>;
  return (c.fields ?? [])
    .map((field) => {
      if (c.kind === 'enum' && field === 'values') return describeEnumValues(before.values as string[], after.values as string[]);
      const from = show(before[field]);
      const to = show(after[field]);
      return from.length > LONG || to.length > LONG || /\n/.test(from + to) ? `${field} changed` : `${field} ${from} → ${to}`;
    })
    .join('; ');
}

function describeEnumValues(before: readonly string[] = [], after: readonly string[] = []): string {
  const added = after.filter((v) => !before.includes(v));
  const removed = before.filter((v) => !after.includes(v));
  const parts: string[] = [];
  if (added.length) parts.push(`values added ${added.map((v) => `'${v}'`).join(', ')}`);
  if (removed.length) parts.push(`values removed ${removed.map((v) => `'${v}'`).join(', ')}`);
  if (parts.length === 0) parts.push('values reordered');
  return parts.join('; ');
}

/** Readable form of a field value: none/yes/no, objects as table.column or JSON. */
function show(value: unknown): string {
  if (value === null || value === undefined) return 'none';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(show).join(', ');
  if (typeof value === 'object' && 'table' in value && 'column' in value) return `${String(value.table)}.${String(value.column)}`;
  return JSON.stringify(value);
}

function shorten(text: string): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > 100 ? `${line.slice(0, 97)}...` : line;
}
