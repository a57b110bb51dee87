import { describe, expect, it } from 'vitest';
import { diffRows, diffStats, foldUnchanged, splitRows } from './text-diff';

describe('text diff', () => {
  const before = 'a\nb\nc\nd\ne\nf\ng\nh\n';
  const after = 'a\nb\nc\nD\ne\nf\ng\nh\n';
  it('numbers lines, folds long unchanged stretches, pairs replacements side by side', () => {
    const rows = diffRows(before, after, false);
    expect(diffStats(rows)).toEqual({ added: 1, removed: 1 });
    const folded = foldUnchanged(rows, 1);
    expect(folded.map((r) => (r.kind === 'fold' ? `…${r.hidden}` : `${r.kind}:${r.text}`))).toEqual(['…2', 'same:c', 'removed:d', 'added:D', 'same:e', '…3']);
    const split = splitRows(folded);
    expect(split[2]).toEqual({ left: { no: 4, text: 'd', kind: 'removed' }, right: { no: 4, text: 'D', kind: 'added' } });
  });

  it('ignores changes of whitespace only when asked', () => {
    expect(diffStats(diffRows('a  b\n', 'a b\n', true))).toEqual({ added: 0, removed: 0 });
    expect(diffStats(diffRows('a  b\n', 'a b\n', false))).toEqual({ added: 1, removed: 1 });
  });
});
