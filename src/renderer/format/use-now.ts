/**
 * The current time for components that show elapsed or relative times: one shared timer per
 * interval for the whole window (a long timeline does not start one timer per row).
 */
import { useCallback, useState, useSyncExternalStore } from 'react';

interface Ticker {
  now: number;
  listeners: Set<() => void>;
  timer: number | null;
}

const tickers = new Map<number, Ticker>();

function tickerFor(ms: number): Ticker {
  let ticker = tickers.get(ms);
  if (!ticker) {
    ticker = { now: Date.now(), listeners: new Set(), timer: null };
    tickers.set(ms, ticker);
  }
  return ticker;
}

function subscribe(ms: number, listener: () => void): () => void {
  const ticker = tickerFor(ms);
  ticker.listeners.add(listener);
  if (ticker.timer === null) {
    ticker.timer = window.setInterval(() => {
      ticker.now = Date.now();
      for (const l of [...ticker.listeners]) l();
    }, ms);
  }
  return () => {
    ticker.listeners.delete(listener);
    if (ticker.listeners.size === 0 && ticker.timer !== null) {
      window.clearInterval(ticker.timer);
      ticker.timer = null;
    }
  };
}

const never = () => () => {};

/** The ticker's time; an idle ticker catches up first (stable within one interval, as React requires). */
function snapshot(ms: number): number {
  const ticker = tickerFor(ms);
  if (ticker.timer === null && Date.now() - ticker.now >= ms) ticker.now = Date.now();
  return ticker.now;
}

/** Date.now(), re-rendering every `ms` (null: no ticking, the time the component mounted). */
export function useNow(ms: number | null): number {
  const [mounted] = useState(Date.now);
  // A stable subscribe per interval: a new function each render would resubscribe (and re-render) forever.
  const subscribeTo = useCallback((listener: () => void) => (ms === null ? never() : subscribe(ms, listener)), [ms]);
  return useSyncExternalStore(subscribeTo, () => (ms === null ? mounted : snapshot(ms)));
}
