/** A schema change as Added / Changed / Removed objects, changed fields shown before → after. */
import type { SchemaChange, SchemaDiff } from '../../shared/contract';

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
