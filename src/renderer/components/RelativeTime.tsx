/** A relative time ("3 min ago") that keeps itself current, the exact time in its tooltip. */
import { exactTime, relativeTime } from '../format/format';
import { useNow } from '../format/use-now';

/** How often relative times re-render: one shared timer for every one of them. */
export const RELATIVE_TIME_TICK_MS = 10_000;

export function RelativeTime({ iso, className }: { iso: string; className?: string }) {
  // The shared timer only says when to re-render; the time itself is read now (a just-finished run is not "in 3 seconds").
  const now = Math.max(useNow(RELATIVE_TIME_TICK_MS), Date.now());
  return (
    <time className={className} dateTime={iso} title={exactTime(iso)}>
      {relativeTime(iso, now)}
    </time>
  );
}
