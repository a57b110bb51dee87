/**
 * A long name cut in the middle when it does not fit ("20250402112305_backf…display_name.ts"): the
 * start and the end stay readable, the full text is in the tooltip and read out whole.
 */

/** How much of the end always stays visible: the last part of a migration name and its extension. */
function tailLength(text: string, max: number): number {
  return Math.min(max, Math.floor(text.length / 2));
}

export function MiddleTruncate({ text, tail = 16, className }: { text: string; tail?: number; className?: string }) {
  const n = tailLength(text, tail);
  return (
    <span className={`mt${className ? ` ${className}` : ''}`} title={text}>
      <span className="mt-head">{text.slice(0, text.length - n)}</span>
      <span className="mt-tail">{text.slice(text.length - n)}</span>
    </span>
  );
}
