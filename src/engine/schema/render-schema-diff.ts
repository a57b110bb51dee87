/** Plain-text rendering of a schema diff for the CLI and logs (a changed definition with its changed lines, from the `diff` package). */
import type { SchemaChange, SchemaDiff } from '../../shared/schema';
import { diffArrays } from 'diff/lib/diff/array.js';
import { assertNever } from '../../shared/assert-never';
import { countSchemaChanges } from './diff-schemas';

const MARK: Record<SchemaChange['change'], string> = { added: '+', removed: '-', changed: '~' };
const LONG = 60;

/**
 * One line per change: `+ table public.users`, `~ column public.users.email: type text → varchar(320)`.
 * With `lineDiffs`, a field too long for one line (a view's or function's definition) is followed by
 * its changed lines; without, lists built from the lines (stamp's and check's differences) keep one per change.
 */
export function renderSchemaDiff(diff: SchemaDiff, options: { lineDiffs?: boolean } = {}): string {
  if (diff.changes.length === 0) return 'No schema changes.';
  return diff.changes.map((c) => renderChange(c, options.lineDiffs === true)).join('\n');
}

/** "3 added, 1 changed, 0 removed". */
export function summarizeSchemaDiff(diff: SchemaDiff): string {
  const { added, changed, removed } = countSchemaChanges(diff);
  return `${added} added, ${changed} changed, ${removed} removed`;
}

function renderChange(c: SchemaChange, lineDiffs: boolean): string {
  const head = `${MARK[c.change]} ${c.kind} ${c.name}`;
  const detail = c.change === 'changed' ? describeChanged(c) : describeObject(c);
  const line = detail ? `${head}: ${detail}` : head;
  return lineDiffs && c.change === 'changed' ? [line, ...longFieldDiffs(c)].join('\n') : line;
}

/** Under a change whose field reads only "changed" (a view's or function's definition): its changed lines, - before and + after. */
function longFieldDiffs(c: SchemaChange): string[] {
  return (c.fields ?? []).flatMap((field) => {
    const from = fieldOf(c.before, field);
    const to = fieldOf(c.after, field);
    if (typeof from !== 'string' || typeof to !== 'string' || !isLong(show(from), show(to))) return [];
    return diffArrays(from.split('\n'), to.split('\n')).flatMap((part) =>
      part.added ? part.value.map((l) => `    + ${l}`) : part.removed ? part.value.map((l) => `    - ${l}`) : [],
    );
  });
}

/** Too long (or on several lines) to print as `from → to`. */
function isLong(from: string, to: string): boolean {
  return from.length > LONG || to.length > LONG || /\n/.test(from + to);
}

/** The version an added or removed object is shown by. */
function shownVersion<C extends SchemaChange>(c: C): C['before'] {
  return c.change === 'added' ? c.after : c.before;
}

/** A short description of an added or removed object. */
function describeObject(c: SchemaChange): string {
  switch (c.kind) {
    case 'column': {
      const col = shownVersion(c);
      if (!col) return '';
      return [col.type, col.nullable ? '' : 'not null', col.identity ? `identity ${col.identity}` : '', col.default !== null ? `default ${col.default}` : '', col.generated !== null ? `generated as (${col.generated})` : '']
        .filter(Boolean)
        .join(' ');
    }
    case 'constraint': {
      const con = shownVersion(c);
      return con ? shorten(con.definition) : '';
    }
    case 'index': {
      const i = shownVersion(c);
      return i ? `${i.unique ? 'unique ' : ''}${i.method} (${i.keys.join(', ')})${i.predicate ? ` where ${shorten(i.predicate)}` : ''}` : '';
    }
    case 'enum':
      return shownVersion(c)?.values.map((v) => `'${v}'`).join(', ') ?? '';
    case 'domain':
      return shownVersion(c)?.type ?? '';
    case 'type': {
      const t = shownVersion(c);
      if (!t) return '';
      return 'subtype' in t ? `range of ${t.subtype}` : `${t.attributes?.length ?? 0} attributes`;
    }
    case 'sequence':
      return shownVersion(c)?.dataType ?? '';
    case 'table': {
      const table = shownVersion(c);
      return table ? `${table.columns.length} columns` : '';
    }
    case 'view':
      return shownVersion(c)?.materialized ? 'materialized' : '';
    case 'function': {
      const f = shownVersion(c);
      if (!f) return '';
      return f.kind === 'function' ? `returns ${f.returns}` : f.kind;
    }
    case 'schema':
    case 'extension':
    case 'trigger':
      return '';
    default:
      return assertNever(c, 'schema change');
  }
}

/** A field of an object version by name (`fields` lists them as strings). */
function fieldOf(value: object | undefined, field: string): unknown {
  return value && field in value ? Reflect.get(value, field) : undefined;
}

function describeChanged(c: SchemaChange): string {
  return (c.fields ?? [])
    .map((field) => {
      if (c.kind === 'enum' && field === 'values') return describeEnumValues(c.before?.values, c.after?.values);
      const from = show(fieldOf(c.before, field));
      const to = show(fieldOf(c.after, field));
      return isLong(from, to) ? `${field} changed` : `${field} ${from} → ${to}`;
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
