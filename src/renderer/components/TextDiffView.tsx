/** A line diff, unified or split, changed lines highlighted, long unchanged stretches folded (Show all lines unfolds). */
import { useMemo, useState } from 'react';
import { diffRows, diffStats, foldUnchanged, splitRows } from '../format/text-diff';

export type DiffLayout = 'unified' | 'split';

export interface TextDiffViewProps {
  before: string;
  after: string;
  layout: DiffLayout;
  ignoreWhitespace: boolean;
  /** Accessible name, e.g. "Changes to 2025_add_users.ts since it was applied". */
  label: string;
  beforeLabel?: string;
  afterLabel?: string;
}

export function TextDiffView({ before, after, layout, ignoreWhitespace, label, beforeLabel = 'Before', afterLabel = 'After' }: TextDiffViewProps) {
  const [showAll, setShowAll] = useState(false);
  const rows = useMemo(() => diffRows(before, after, ignoreWhitespace), [before, after, ignoreWhitespace]);
  const shown = useMemo(() => foldUnchanged(rows, showAll ? Infinity : 3), [rows, showAll]);
  const stats = diffStats(rows);
  const folded = shown.some((r) => r.kind === 'fold');
  return (
    <div className="text-diff" role="region" aria-label={label}>
      <div className="text-diff-head">
        <span className="diff-stat-added">+{stats.added}</span> <span className="diff-stat-removed">−{stats.removed}</span>
        <span className="faint">
          {' '}
          {beforeLabel} → {afterLabel}
        </span>
        {(folded || showAll) && (
          <button type="button" className="link-btn" onClick={() => setShowAll(!showAll)}>
            {showAll ? 'Fold unchanged lines' : 'Show all lines'}
          </button>
        )}
      </div>
      {stats.added + stats.removed === 0 ? (
        <p className="muted text-diff-same">{ignoreWhitespace ? 'No change apart from whitespace.' : 'No change.'}</p>
      ) : layout === 'unified' ? (
        <table className="diff-table diff-unified mono">
          {/* Fixed layout takes its widths from the first row, which may be a fold: the columns say them. */}
          <colgroup>
            <col className="diff-col-no" />
            <col className="diff-col-no" />
            <col className="diff-col-mark" />
            <col />
          </colgroup>
          <tbody>
            {shown.map((row, i) =>
              row.kind === 'fold' ? (
                <tr key={i} className="diff-fold">
                  <td colSpan={4}>⋯ {row.hidden} unchanged line{row.hidden === 1 ? '' : 's'}</td>
                </tr>
              ) : (
                <tr key={i} className={`diff-line diff-line-${row.kind}`}>
                  <td className="diff-no">{row.oldNo ?? ''}</td>
                  <td className="diff-no">{row.newNo ?? ''}</td>
                  <td className="diff-mark" aria-label={row.kind === 'added' ? 'added' : row.kind === 'removed' ? 'removed' : undefined}>
                    {row.kind === 'added' ? '+' : row.kind === 'removed' ? '−' : ''}
                  </td>
                  <td className="diff-text">{row.text}</td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      ) : (
        <table className="diff-table diff-split mono">
          <colgroup>
            <col className="diff-col-no" />
            <col />
            <col className="diff-col-no" />
            <col />
          </colgroup>
          <tbody>
            {splitRows(shown).map((row, i) =>
              row.fold !== undefined ? (
                <tr key={i} className="diff-fold">
                  <td colSpan={4}>⋯ {row.fold} unchanged line{row.fold === 1 ? '' : 's'}</td>
                </tr>
              ) : (
                <tr key={i}>
                  <td className="diff-no">{row.left?.no ?? ''}</td>
                  <td className={`diff-text diff-line-${row.left?.kind ?? 'empty'}`} aria-label={row.left?.kind === 'removed' ? `removed: ${row.left.text}` : undefined}>
                    {row.left?.text ?? ''}
                  </td>
                  <td className="diff-no">{row.right?.no ?? ''}</td>
                  <td className={`diff-text diff-line-${row.right?.kind ?? 'empty'}`} aria-label={row.right?.kind === 'added' ? `added: ${row.right.text}` : undefined}>
                    {row.right?.text ?? ''}
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** The Unified/Split switch and the Ignore whitespace box, shared by every diff view. */
export function DiffControls({
  layout,
  onLayout,
  ignoreWhitespace,
  onIgnoreWhitespace,
}: {
  layout: DiffLayout;
  onLayout: (layout: DiffLayout) => void;
  ignoreWhitespace: boolean;
  onIgnoreWhitespace: (value: boolean) => void;
}) {
  return (
    <div className="diff-controls">
      <div className="segmented" role="radiogroup" aria-label="Diff layout">
        {(['unified', 'split'] as const).map((l) => (
          <button key={l} type="button" role="radio" aria-checked={layout === l} className={`segment${layout === l ? ' is-active' : ''}`} onClick={() => onLayout(l)}>
            {l === 'unified' ? 'Unified' : 'Split'}
          </button>
        ))}
      </div>
      <label className="switch">
        <input type="checkbox" checked={ignoreWhitespace} onChange={(e) => onIgnoreWhitespace(e.target.checked)} /> Ignore whitespace
      </label>
    </div>
  );
}
