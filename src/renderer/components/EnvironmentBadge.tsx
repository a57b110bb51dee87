/** The environment's colour dot with its word: colour is never the only signal. */
import type { Environment } from '../../shared/contract';

/** Dot + word, e.g. "● production". */
export function EnvironmentBadge({ environment, compact = false }: { environment: Environment; compact?: boolean }) {
  return (
    <span className={`env-badge${compact ? ' env-badge-compact' : ''}`} data-env={environment}>
      <span className="env-dot" aria-hidden="true" />
      {environment}
    </span>
  );
}

/** Just the dot, for places where the word is next to it already. */
export function EnvironmentDot({ environment }: { environment: Environment }) {
  return <span className="env-dot" data-env={environment} aria-hidden="true" />;
}
