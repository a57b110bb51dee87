/** A schema object as a few readable lines, so two versions of it can be diffed line by line. */
import type { Column, Constraint, SchemaChange } from '../../shared/contract';
import { assertNever } from '../../shared/assert-never';

/** "email text not null default ''::text". */
export function columnText(c: Column): string {
  return [c.name, c.type, c.nullable ? '' : 'not null', c.identity ? `identity ${c.identity}` : '', c.default !== null ? `default ${c.default}` : '', c.generated ? `generated ${c.generated}` : '', c.collation ? `collate ${c.collation}` : '']
    .filter(Boolean)
    .join(' ');
}

/** The primary key first, then the rest in the snapshot's (name) order. */
export function primaryFirst(constraints: readonly Constraint[]): Constraint[] {
  return [...constraints.filter((c) => c.kind === 'primary'), ...constraints.filter((c) => c.kind !== 'primary')];
}

function comment(value: { comment?: string | null }): string[] {
  return value.comment ? [`comment: ${value.comment}`] : [];
}

/** The version of `change` on `side` as lines (empty when there is none, e.g. "before" of an added object). */
export function objectText(change: SchemaChange, side: 'before' | 'after'): string {
  const lines = linesOf(change, side);
  return lines === null ? '' : `${lines.join('\n')}\n`;
}

function linesOf(c: SchemaChange, side: 'before' | 'after'): string[] | null {
  switch (c.kind) {
    case 'table': {
      const t = c[side];
      if (!t) return null;
      return [
        `table ${t.schema}.${t.name} (`,
        ...t.columns.map((col) => `  ${columnText(col)},`),
        ...primaryFirst(t.constraints).map((con) => `  constraint ${con.name} ${con.definition},`),
        ')',
        ...t.indexes.filter((i) => !i.constraint).map((i) => i.definition),
        ...comment(t),
      ];
    }
    case 'column': {
      const col = c[side];
      return col ? [columnText(col), ...comment(col)] : null;
    }
    case 'constraint': {
      const con = c[side];
      return con ? [`constraint ${con.name} ${con.definition}`] : null;
    }
    case 'index': {
      const i = c[side];
      return i ? [i.definition] : null;
    }
    case 'view': {
      const v = c[side];
      return v ? [`${v.materialized ? 'materialized view' : 'view'} ${v.schema}.${v.name} as`, ...v.definition.split('\n'), ...v.indexes.map((i) => i.definition), ...comment(v)] : null;
    }
    case 'function': {
      const f = c[side];
      if (!f) return null;
      return f.definition ? [...f.definition.split('\n'), ...comment(f)] : [`${f.kind} ${f.schema}.${f.name}(${f.arguments}) returns ${f.returns} language ${f.language}`, ...comment(f)];
    }
    case 'enum': {
      const e = c[side];
      return e ? [`enum ${e.schema}.${e.name}`, ...e.values.map((v) => `  '${v}'`)] : null;
    }
    case 'sequence': {
      const s = c[side];
      return s ? [`sequence ${s.schema}.${s.name} as ${s.dataType}`, `  start ${s.start} increment ${s.increment}`, `  min ${s.min} max ${s.max} cache ${s.cache}${s.cycle ? ' cycle' : ''}`, ...(s.ownedBy ? [`  owned by ${s.ownedBy.table}.${s.ownedBy.column}`] : [])] : null;
    }
    case 'trigger': {
      const tr = c[side];
      return tr ? [tr.definition] : null;
    }
    // No text form of their own: their fields as JSON.
    case 'schema':
    case 'extension':
    case 'domain':
    case 'type': {
      const value = c[side];
      return value ? JSON.stringify(value, null, 2).split('\n') : null;
    }
    default:
      return assertNever(c, 'schema change');
  }
}
