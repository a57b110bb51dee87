/**
 * Run work once the browser has painted what is on screen now: the first rows of a big timeline
 * paint before the calls and renders that follow them (history, backups, drift, checks), instead
 * of after, in the same task. A status answer's render is synchronous (a store update), and what
 * its effects and awaiters start runs before the browser can paint.
 */

/** The longest wait: a hidden window paints no frames. */
const AFTER_PAINT_MAX_MS = 100;

/** Call `fn` after the next frame is painted (or AFTER_PAINT_MAX_MS at most); returns a cancel. */
export function afterPaint(fn: () => void): () => void {
  let done = false;
  let frame: number | null = null;
  let task: ReturnType<typeof setTimeout> | null = null;
  const run = () => {
    if (done) return;
    cancel();
    fn();
  };
  const cancel = () => {
    done = true;
    if (frame !== null) cancelAnimationFrame(frame);
    if (task !== null) clearTimeout(task);
    clearTimeout(fallback);
  };
  // A frame's callbacks run before its paint; the task after them runs after it.
  if (typeof requestAnimationFrame === 'function') frame = requestAnimationFrame(() => (task = setTimeout(run, 0)));
  const fallback = setTimeout(run, typeof requestAnimationFrame === 'function' ? AFTER_PAINT_MAX_MS : 0);
  return cancel;
}

/** A promise of `afterPaint`. */
export function painted(): Promise<void> {
  return new Promise((resolve) => void afterPaint(resolve));
}
