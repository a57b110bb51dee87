/**
 * One connection in the list. The list is one Tab stop (↑/↓ move between connections) and a row's
 * Edit · Duplicate · Delete are one more (←/→ move between them), not three stops per row.
 */
import { forwardRef, useState } from 'react';
import type { ProfileView } from '../../../shared/contract';

export interface ConnectionRowProps {
  profile: ProfileView;
  active: boolean;
  /** This row holds the list's Tab stop. */
  current: boolean;
  where: string;
  onFocusRow: () => void;
  /** Move the list's focus by `delta` rows (±Infinity: first/last). */
  onMove: (delta: number) => void;
  onOpen: () => void;
  onEdit: () => void;
  onDuplicate: () => void;
  onDelete: () => void;
}

const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, Home: -Infinity, End: Infinity };

export const ConnectionRow = forwardRef<HTMLButtonElement, ConnectionRowProps>(function ConnectionRow(
  { profile: p, active, current, where, onFocusRow, onMove, onOpen, onEdit, onDuplicate, onDelete },
  ref,
) {
  const [actionIndex, setActionIndex] = useState(0);
  const actions = p.builtIn
    ? []
    : [
        { label: 'Edit', run: onEdit, danger: false },
        { label: 'Duplicate', run: onDuplicate, danger: false },
        { label: 'Delete', run: onDelete, danger: true },
      ];
  return (
    <li className={`conn-item${active ? ' is-active' : ''}`} data-env={p.environment}>
      <button
        ref={ref}
        type="button"
        className="conn-open"
        aria-current={active ? 'true' : undefined}
        tabIndex={current ? 0 : -1}
        onFocus={onFocusRow}
        onClick={onOpen}
        onKeyDown={(e) => {
          if (!(e.key in moves)) return;
          e.preventDefault();
          onMove(moves[e.key]);
        }}
      >
        <span className="conn-name" title={p.name}>
          <span className="conn-label">{p.name}</span>
          {p.builtIn && <span className="conn-tag">{p.kind === 'embedded' ? 'demo' : 'this session'}</span>}
          {p.readOnly && <span className="conn-tag">read-only</span>}
        </span>
        <span className="conn-where mono">{where}</span>
      </button>
      {actions.length > 0 && (
        <span
          className="conn-actions"
          role="toolbar"
          aria-label={`Actions for ${p.name}`}
          onKeyDown={(e) => {
            const delta = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
            if (!delta) return;
            e.preventDefault();
            const next = (actionIndex + delta + actions.length) % actions.length;
            setActionIndex(next);
            (e.currentTarget.children[next] as HTMLElement | undefined)?.focus();
          }}
        >
          {actions.map((a, j) => (
            <button
              key={a.label}
              type="button"
              className={`link-btn${a.danger ? ' link-danger' : ''}`}
              aria-label={`${a.label} ${p.name}`}
              tabIndex={current && j === actionIndex ? 0 : -1}
              onFocus={() => {
                setActionIndex(j);
                onFocusRow();
              }}
              onClick={a.run}
            >
              {a.label}
            </button>
          ))}
        </span>
      )}
    </li>
  );
});
