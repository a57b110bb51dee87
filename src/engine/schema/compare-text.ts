/** Deterministic ordering that does not depend on any database collation or locale. */

/** Compares strings by UTF-16 code units. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A copy of `items` sorted by the key strings `keyOf` returns (compared in order). Stable. */
export function sortByKeys<T>(items: readonly T[], keyOf: (item: T) => readonly string[]): T[] {
  // Keys computed once per item, not twice per comparison (tens of thousands of rows on big schemas).
  const keyed = items.map((item) => ({ item, key: keyOf(item) }));
  keyed.sort((x, y) => {
    const a = x.key;
    const b = y.key;
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const c = compareText(a[i] ?? '', b[i] ?? '');
      if (c !== 0) return c;
    }
    return 0;
  });
  return keyed.map((k) => k.item);
}
