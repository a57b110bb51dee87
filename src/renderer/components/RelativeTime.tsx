/** A relative time ("3 min ago") that keeps itself current, the exact time in its tooltip. */
import { exactTime, relativeTime } from '../format/format';
import { useNow } from '../format/use-now';

/** How often relative times re-render: one shared timer for every one of them. */
export const RELATIVE_TIME_TICK_MS = 10_000;

export function RelativeTime({ iso, className }: { iso: string; className?: string }) {
  const now = useNow(RELATIVE_TIME_TICK_MS);
  return (
    <time className={className} dateTime={iso} title={exactTime(iso)}>
      {relativeTime(iso, now)}
    </time>
  );
}
