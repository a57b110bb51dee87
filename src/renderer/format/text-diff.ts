/**
 * Line diffs for reading: unified rows (with line numbers, long unchanged stretches folded) and
 * split rows (old beside new), from the `diff` package's line diff.
 */
import { diffArrays } from 'diff';

export type DiffLineKind = 'same' | 'added' | 'removed';

export interface UnifiedRow {
  kind: DiffLineKind | 'fold';
  oldNo: number | null;
  newNo: number | null;
  text: string;
  /** For a fold: how many unchanged lines it hides. */
  hidden?: number;
}

export interface SplitRow {
  left: { no: number; text: string; kind: 'same' | 'removed' } | null;
  right: { no: number; text: string; kind: 'same' | 'added' } | null;
  fold?: number;
}

function linesOf(value: string): string[] {
  const lines = value.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** Lines equal when only their whitespace differs (git diff -w). */
const withoutSpace = (line: string) => line.replace(/\s+/g, '');

/** Every line with its kind and numbers. */
export function diffRows(before: string, after: string, ignoreWhitespace: boolean): UnifiedRow[] {
  const rows: UnifiedRow[] = [];
  let oldNo = 1;
  let newNo = 1;
  const comparator = ignoreWhitespace ? (a: string, b: string) => withoutSpace(a) === withoutSpace(b) : undefined;
  for (const change of diffArrays(linesOf(before), linesOf(after), comparator ? { comparator } : {})) {
    for (const text of change.value) {
      if (change.added) rows.push({ kind: 'added', oldNo: null, newNo: newNo++, text });
      else if (change.removed) rows.push({ kind: 'removed', oldNo: oldNo++, newNo: null, text });
      else rows.push({ kind: 'same', oldNo: oldNo++, newNo: newNo++, text });
    }
  }
  return rows;
}

/** Unchanged stretches longer than `2 × context` folded into one row (all shown when `context` is Infinity). */
export function foldUnchanged(rows: UnifiedRow[], context = 3): UnifiedRow[] {
  if (!Number.isFinite(context)) return rows;
  const changed = rows.map((r) => r.kind !== 'same');
  const near = rows.map((_, i) => changed.slice(Math.max(0, i - context), i + context + 1).some(Boolean));
  const out: UnifiedRow[] = [];
  let hidden: UnifiedRow[] = [];
  const flush = () => {
    if (hidden.length > 0) out.push({ kind: 'fold', oldNo: null, newNo: null, text: '', hidden: hidden.length });
    hidden = [];
  };
  rows.forEach((row, i) => {
    if (near[i]) {
      flush();
      out.push(row);
    } else hidden.push(row);
  });
  flush();
  return out;
}

/** Old and new side by side: removed lines pair with the added lines that replace them. */
export function splitRows(rows: UnifiedRow[]): SplitRow[] {
  const out: SplitRow[] = [];
  let i = 0;
  while (i < rows.length) {
    const row = rows[i];
    if (row.kind === 'fold') {
      out.push({ left: null, right: null, fold: row.hidden });
      i++;
    } else if (row.kind === 'same') {
      out.push({ left: { no: row.oldNo!, text: row.text, kind: 'same' }, right: { no: row.newNo!, text: row.text, kind: 'same' } });
      i++;
    } else {
      const removed: UnifiedRow[] = [];
      const added: UnifiedRow[] = [];
      while (i < rows.length && rows[i].kind === 'removed') removed.push(rows[i++]);
      while (i < rows.length && rows[i].kind === 'added') added.push(rows[i++]);
      for (let k = 0; k < Math.max(removed.length, added.length); k++) {
        const l = removed[k];
        const r = added[k];
        out.push({ left: l ? { no: l.oldNo!, text: l.text, kind: 'removed' } : null, right: r ? { no: r.newNo!, text: r.text, kind: 'added' } : null });
      }
    }
  }
  return out;
}

/** How many lines were added and removed. */
export function diffStats(rows: UnifiedRow[]): { added: number; removed: number } {
  return { added: rows.filter((r) => r.kind === 'added').length, removed: rows.filter((r) => r.kind === 'removed').length };
}
