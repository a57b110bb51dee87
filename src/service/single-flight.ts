/**
 * One computation per key at a time: a caller asking for what is already being computed shares it.
 * The plan dialog dry-runs on every opening; reopening it (or two windows) must not pile up
 * identical dry runs, each with its own scratch database, on the server.
 */
export interface SingleFlight<T> {
  run(key: string, compute: () => Promise<T>): Promise<T>;
  size(): number;
}

export function createSingleFlight<T>(): SingleFlight<T> {
  const inFlight = new Map<string, Promise<T>>();
  return {
    run(key, compute) {
      const existing = inFlight.get(key);
      if (existing) return existing;
      const promise = compute().finally(() => inFlight.delete(key));
      inFlight.set(key, promise);
      return promise;
    },
    size: () => inFlight.size,
  };
}
