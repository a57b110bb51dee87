/** Small labelled chips: state badges (edited, missing…), batch chips, outcome labels. */
import type { ReactNode } from 'react';

export type BadgeTone = 'neutral' | 'info' | 'ok' | 'warn' | 'danger';

/** A chip with a text label; `title` explains it on hover. */
export function Badge({ tone = 'neutral', title, className, children }: { tone?: BadgeTone; title?: string; className?: string; children: ReactNode }) {
  return (
    <span className={`badge badge-${tone}${className ? ` ${className}` : ''}`} title={title}>
      {children}
    </span>
  );
}
