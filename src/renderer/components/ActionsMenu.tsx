/**
 * A "⋯" button opening a small menu of actions, for rows whose actions do not all fit: arrow keys
 * move, Enter/Space run, Esc closes and gives focus back to the button.
 */
import { useEffect, useId, useRef, useState } from 'react';

export interface MenuAction {
  label: string;
  onSelect: () => void;
  disabled?: boolean;
  danger?: boolean;
}

export function ActionsMenu({ label, actions }: { label: string; actions: MenuAction[] }) {
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLUListElement>(null);
  const id = useId();
  useEffect(() => {
    if (!open) return;
    menuRef.current?.querySelector<HTMLElement>('[role="menuitem"]:not([aria-disabled="true"])')?.focus();
    const onDown = (e: MouseEvent) => {
      if (!menuRef.current?.contains(e.target as Node) && e.target !== buttonRef.current) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);
  function close() {
    setOpen(false);
    buttonRef.current?.focus();
  }
  function onKeyDown(e: React.KeyboardEvent) {
    const items = Array.from(menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? []);
    const index = items.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'Escape') {
      e.stopPropagation();
      close();
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const next = (index + (e.key === 'ArrowDown' ? 1 : -1) + items.length) % items.length;
      items[next]?.focus();
    } else if (e.key === 'Tab') setOpen(false);
  }
  return (
    <span className="actions-menu">
      <button
        ref={buttonRef}
        type="button"
        className="btn btn-default btn-small"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        aria-label={label}
        title={label}
        onClick={() => setOpen(!open)}
      >
        ⋯
      </button>
      {open && (
        <ul className="menu" role="menu" id={id} ref={menuRef} aria-label={label} onKeyDown={onKeyDown}>
          {actions.map((a) => (
            <li
              key={a.label}
              role="menuitem"
              tabIndex={-1}
              aria-disabled={a.disabled || undefined}
              className={a.danger ? 'menu-danger' : undefined}
              onClick={() => {
                if (a.disabled) return;
                setOpen(false);
                a.onSelect();
              }}
              onKeyDown={(e) => {
                if ((e.key === 'Enter' || e.key === ' ') && !a.disabled) {
                  e.preventDefault();
                  setOpen(false);
                  a.onSelect();
                }
              }}
            >
              {a.label}
            </li>
          ))}
        </ul>
      )}
    </span>
  );
}
