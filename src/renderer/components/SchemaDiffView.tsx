/**
 * A schema change as Added / Changed / Removed objects. Added and removed objects list what they are
 * made of; a changed object shows the fields that changed and a line diff of its two versions
 * (Unified or Split, whitespace ignorable). ↑/↓ (and j/k) move between objects.
 */
import { useRef, useState } from 'react';
import type { SchemaChange, SchemaDiff } from '../../shared/contract';
import { assertNever } from '../../shared/assert-never';
import { columnText, objectText, primaryFirst } from '../format/schema-object-text';
import { DiffControls, TextDiffView, type DiffLayout } from './TextDiffView';

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

/** Too long to read struck through on one line. */
function isLong(text: string): boolean {
  return text.length > 60 || text.includes('\n');
}

/** A field of an object version by name (`fields` lists them as strings). */
function fieldOf(value: object | undefined, field: string): unknown {
  return value && field in value ? Reflect.get(value, field) : undefined;
}

/** What an added or removed object is made of: a table's columns and constraints, a column's type. */
function contents(item: SchemaChange): string[] {
  const side = item.change === 'added' ? 'after' : 'before';
  switch (item.kind) {
    case 'table': {
      const table = item[side];
      return table ? [...table.columns.map(columnText), ...primaryFirst(table.constraints).map((c) => c.definition)] : [];
    }
    case 'column': {
      const column = item[side];
      return column ? [columnText(column).slice(column.name.length + 1)] : [];
    }
    case 'constraint':
      return item[side] ? [item[side].definition] : [];
    case 'index':
      return item[side] ? [item[side].definition] : [];
    case 'schema':
    case 'extension':
    case 'enum':
    case 'domain':
    case 'type':
    case 'sequence':
    case 'view':
    case 'function':
    case 'trigger':
      return [];
    default:
      return assertNever(item, 'schema change');
  }
}

/** The diff, grouped; `emptyText` when nothing changes. */
export function SchemaDiffView({ diff, emptyText = 'No schema change.' }: { diff: SchemaDiff; emptyText?: string }) {
  const [layout, setLayout] = useState<DiffLayout>('unified');
  const [ignoreWhitespace, setIgnoreWhitespace] = useState(false);
  const [focused, setFocused] = useState(0);
  const rootRef = useRef<HTMLDivElement>(null);
  if (diff.changes.length === 0) return <p className="muted">{emptyText}</p>;
  const ordered = groups.flatMap((g) => diff.changes.filter((c) => c.change === g.change));
  const hasChanged = ordered.some((c) => c.change === 'changed');

  /** Arrow keys move between objects (roving focus: one Tab stop for the whole list). */
  function onKeyDown(event: React.KeyboardEvent) {
    const moves: Record<string, number> = { ArrowDown: 1, j: 1, ArrowUp: -1, k: -1, Home: -Infinity, End: Infinity };
    if (!(event.key in moves) || !(event.target as HTMLElement).classList.contains('diff-object')) return;
    event.preventDefault();
    const delta = moves[event.key];
    const next = delta === Infinity ? ordered.length - 1 : delta === -Infinity ? 0 : Math.min(ordered.length - 1, Math.max(0, focused + delta));
    setFocused(next);
    rootRef.current?.querySelectorAll<HTMLElement>('.diff-object')[next]?.focus();
  }

  let index = -1;
  return (
    <div className="schema-diff" ref={rootRef} onKeyDown={onKeyDown}>
      {hasChanged && <DiffControls layout={layout} onLayout={setLayout} ignoreWhitespace={ignoreWhitespace} onIgnoreWhitespace={setIgnoreWhitespace} />}
      <p className="visually-hidden">Use the up and down arrow keys to move between objects.</p>
      {groups.map(({ change, title, sign }) => {
        const items = diff.changes.filter((c) => c.change === change);
        if (items.length === 0) return null;
        return (
          <section key={change} className={`diff-group diff-${change}`} aria-label={`${title}: ${items.length}`}>
            <h4>
              {title} <span className="faint">{items.length}</span>
            </h4>
            <ul>
              {items.map((item) => {
                const at = ++index;
                return (
                  <li
                    key={`${item.kind}:${item.name}`}
                    className="diff-item diff-object"
                    tabIndex={at === focused ? 0 : -1}
                    aria-label={`${title} ${item.kind} ${item.name}`}
                    onFocus={() => setFocused(at)}
                  >
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
                        {item.fields.map((field) => {
                          const before = show(fieldOf(item.before, field));
                          const after = show(fieldOf(item.after, field));
                          // A long value (a function's or view's definition) is read in the line diff below, not struck through whole.
                          const inLineDiff = item.before !== undefined && item.after !== undefined && (isLong(before) || isLong(after));
                          return (
                            <li key={field}>
                              <span className="faint">{field}:</span>{' '}
                              {inLineDiff ? (
                                <span className="muted">changed, lines below</span>
                              ) : (
                                <>
                                  <del className="mono">{before}</del> → <ins className="mono">{after}</ins>
                                </>
                              )}
                            </li>
                          );
                        })}
                      </ul>
                    )}
                    {change === 'changed' && item.before !== undefined && item.after !== undefined && (
                      <div className="diff-object-text">
                        <TextDiffView
                          before={objectText(item, 'before')}
                          after={objectText(item, 'after')}
                          layout={layout}
                          ignoreWhitespace={ignoreWhitespace}
                          label={`${item.name}, before and after`}
                        />
                      </div>
                    )}
                  </li>
                );
              })}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
