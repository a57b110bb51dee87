/** A schema object as a few readable lines, so two versions of it can be diffed line by line. */
import type { Column, Constraint, EnumType, FunctionDef, Index, Sequence, Table, Trigger, View } from '../../shared/contract';
import type { ObjectKind } from '../../shared/contract';

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

/** The object's lines (empty when there is no value, e.g. "before" of an added object). */
export function objectText(kind: ObjectKind, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'object') return `${String(value)}\n`;
  const lines = ((): string[] => {
    switch (kind) {
      case 'table': {
        const t = value as Table;
        return [
          `table ${t.schema}.${t.name} (`,
          ...t.columns.map((c) => `  ${columnText(c)},`),
          ...primaryFirst(t.constraints).map((c) => `  constraint ${c.name} ${c.definition},`),
          ')',
          ...t.indexes.filter((i) => !i.constraint).map((i) => i.definition),
          ...comment(t),
        ];
      }
      case 'column':
        return [columnText(value as Column), ...comment(value as Column)];
      case 'constraint':
        return [`constraint ${(value as Constraint).name} ${(value as Constraint).definition}`];
      case 'index':
        return [(value as Index).definition];
      case 'view': {
        const v = value as View;
        return [`${v.materialized ? 'materialized view' : 'view'} ${v.schema}.${v.name} as`, ...v.definition.split('\n'), ...v.indexes.map((i) => i.definition), ...comment(v)];
      }
      case 'function': {
        const f = value as FunctionDef;
        return f.definition ? [...f.definition.split('\n'), ...comment(f)] : [`${f.kind} ${f.schema}.${f.name}(${f.arguments}) returns ${f.returns} language ${f.language}`, ...comment(f)];
      }
      case 'enum':
        return [`enum ${(value as EnumType).schema}.${(value as EnumType).name}`, ...(value as EnumType).values.map((v) => `  '${v}'`)];
      case 'sequence': {
        const s = value as Sequence;
        return [`sequence ${s.schema}.${s.name} as ${s.dataType}`, `  start ${s.start} increment ${s.increment}`, `  min ${s.min} max ${s.max} cache ${s.cache}${s.cycle ? ' cycle' : ''}`, ...(s.ownedBy ? [`  owned by ${s.ownedBy.table}.${s.ownedBy.column}`] : [])];
      }
      case 'trigger':
        return [(value as Trigger).definition];
      default:
        return JSON.stringify(value, null, 2).split('\n');
    }
  })();
  return `${lines.join('\n')}\n`;
}
