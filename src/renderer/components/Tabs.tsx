/** Accessible tabs: a tablist with arrow-key movement; the caller renders the active panel. */
import { useId, useRef, type ReactNode } from 'react';

export interface TabItem<K extends string> {
  key: K;
  label: ReactNode;
  /** Shown after the label, e.g. a count. */
  extra?: ReactNode;
}

export interface TabsProps<K extends string> {
  label: string;
  items: TabItem<K>[];
  active: K;
  onChange: (key: K) => void;
  className?: string;
}

/** The tab strip; returns ids so the panel can point back with aria-labelledby. */
export function Tabs<K extends string>({ label, items, active, onChange, className }: TabsProps<K>) {
  const base = useId();
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  function onKeyDown(event: React.KeyboardEvent) {
    const index = items.findIndex((i) => i.key === active);
    let next = -1;
    if (event.key === 'ArrowRight' || event.key === 'ArrowDown') next = (index + 1) % items.length;
    else if (event.key === 'ArrowLeft' || event.key === 'ArrowUp') next = (index - 1 + items.length) % items.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = items.length - 1;
    if (next < 0) return;
    event.preventDefault();
    onChange(items[next].key);
    refs.current[items[next].key]?.focus();
  }
  return (
    <div role="tablist" aria-label={label} className={`tabs ${className ?? ''}`} onKeyDown={onKeyDown}>
      {items.map((item) => (
        <button
          key={item.key}
          ref={(el) => {
            refs.current[item.key] = el;
          }}
          id={`${base}-${item.key}`}
          role="tab"
          type="button"
          aria-selected={item.key === active}
          tabIndex={item.key === active ? 0 : -1}
          className="tab"
          onClick={() => onChange(item.key)}
        >
          {item.label}
          {item.extra !== undefined && <span className="tab-extra">{item.extra}</span>}
        </button>
      ))}
    </div>
  );
}
