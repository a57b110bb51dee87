/** A draggable, keyboard-operable divider between two panes (role="separator"). */
import { useRef } from 'react';

export interface SplitterProps {
  label: string;
  value: number;
  min: number;
  max: number;
  onChange: (value: number) => void;
  /** +1 when dragging right grows the pane on the left; -1 when it grows the pane on the right. */
  direction?: 1 | -1;
}

export function Splitter({ label, value, min, max, onChange, direction = 1 }: SplitterProps) {
  const start = useRef<{ x: number; value: number } | null>(null);
  const clamp = (v: number) => Math.min(max, Math.max(min, v));
  return (
    <div
      role="separator"
      aria-orientation="vertical"
      aria-label={label}
      aria-valuemin={min}
      aria-valuemax={max}
      aria-valuenow={Math.round(value)}
      tabIndex={0}
      className="splitter"
      onPointerDown={(e) => {
        start.current = { x: e.clientX, value };
        e.currentTarget.setPointerCapture(e.pointerId);
      }}
      onPointerMove={(e) => {
        if (start.current) onChange(clamp(start.current.value + direction * (e.clientX - start.current.x)));
      }}
      onPointerUp={() => {
        start.current = null;
      }}
      onKeyDown={(e) => {
        const step = e.shiftKey ? 40 : 10;
        if (e.key === 'ArrowLeft') onChange(clamp(value - direction * step));
        else if (e.key === 'ArrowRight') onChange(clamp(value + direction * step));
        else return;
        e.preventDefault();
      }}
    />
  );
}
