// A small seeded generator (mulberry32): the same seed gives the same requests, so a failure reproduces.

export interface Random {
  /** In [0, 1). */
  next(): number;
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
}

export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)],
  };
}

/** The seed of this run: STEPSTONE_FUZZ_SEED to explore or reproduce, else a fixed one so CI is repeatable. */
export function fuzzSeed(fallback: number): number {
  const given = process.env.STEPSTONE_FUZZ_SEED;
  return given !== undefined && /^\d+$/.test(given) ? Number(given) : fallback;
}
