/** A schema change as Added / Changed / Removed objects, changed fields shown before → after. */
import type { Column, Constraint, Index, SchemaChange, SchemaDiff, Table } from '../../shared/contract';

const groups: { change: SchemaChange['change']; title: string; sign: string }[] = [
  { change: 'added', title: 'Added', sign: '+' },
  { change: 'changed', title: 'Changed', sign: '~' },
  { change: 'removed', title: 'Removed', sign: '−' },
];

function show(value: unknown): string {
  if (value === null || value === undefined) return '∅';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

function fieldOf(value: unknown, field: string): unknown {
  return value && typeof value === 'object' ? (value as Record<string, unknown>)[field] : undefined;
}

function columnText(c: Column): string {
  return [c.name, c.type, c.nullable ? '' : 'not null', c.identity ? `identity ${c.identity}` : '', c.default !== null ? `default ${c.default}` : '']
    .filter(Boolean)
    .join(' ');
}

/** The primary key first, then the rest in the snapshot's (name) order. */
function primaryFirst(constraints: readonly Constraint[]): Constraint[] {
  return [...constraints.filter((c) => c.kind === 'primary'), ...constraints.filter((c) => c.kind !== 'primary')];
}

/** What an added or removed object is made of: a table's columns and constraints, a column's type. */
function contents(item: SchemaChange): string[] {
  const value = item.change === 'added' ? item.after : item.before;
  if (!value || typeof value !== 'object') return [];
  switch (item.kind) {
    case 'table': {
      const table = value as Table;
      return [...table.columns.map(columnText), ...primaryFirst(table.constraints).map((c) => c.definition)];
    }
    case 'column':
      return [columnText(value as Column).slice((value as Column).name.length + 1)];
    case 'constraint':
      return [(value as Constraint).definition];
    case 'index':
      return [(value as Index).definition];
    default:
      return [];
  }
}

/** The diff, grouped; `emptyText` when nothing changes. */
export function SchemaDiffView({ diff, emptyText = 'No schema change.' }: { diff: SchemaDiff; emptyText?: string }) {
  if (diff.changes.length === 0) return <p className="muted">{emptyText}</p>;
  return (
    <div className="schema-diff">
      {groups.map(({ change, title, sign }) => {
        const items = diff.changes.filter((c) => c.change === change);
        if (items.length === 0) return null;
        return (
          <section key={change} className={`diff-group diff-${change}`} aria-label={`${title}: ${items.length}`}>
            <h4>
              {title} <span className="faint">{items.length}</span>
            </h4>
            <ul>
              {items.map((item) => (
                <li key={`${item.kind}:${item.name}`} className="diff-item">
                  <span className="diff-sign" aria-hidden="true">
                    {sign}
                  </span>
                  <span className="diff-kind">{item.kind}</span>
                  <span className="mono diff-name">{item.name}</span>
                  {change !== 'changed' && contents(item).length > 0 && (
                    <ul className="diff-fields mono" aria-label={`${item.name} ${item.kind === 'table' ? 'columns and constraints' : 'definition'}`}>
                      {contents(item).map((line, i) => (
                        <li key={i}>{line}</li>
                      ))}
                    </ul>
                  )}
                  {change === 'changed' && item.fields && item.fields.length > 0 && (
                    <ul className="diff-fields">
                      {item.fields.map((field) => (
                        <li key={field}>
                          <span className="faint">{field}:</span> <del className="mono">{show(fieldOf(item.before, field))}</del> →{' '}
                          <ins className="mono">{show(fieldOf(item.after, field))}</ins>
                        </li>
                      ))}
                    </ul>
                  )}
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
