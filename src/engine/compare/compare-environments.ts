/**
 * Two environments side by side (e.g. staging and production): which migrations one has applied
 * and the other lacks, which were applied from different files (checksums), and the schema
 * difference. Both are read at once; one unreachable side is explained while the other is shown.
 */
import type { CompareReport } from '../../shared/compare';
import type { EngineContext } from '../engine-context';
import type { ConnectionTarget } from '../connection/connection-target';
import { diffSchemas } from '../schema';
import type { ErrorInfo } from '../../shared/error-info';
import { readEnvironment, unavailableEnvironment } from './read-environment';

/** A side to compare: its target, or why it has none (e.g. the knexfile reads a variable that is not set). */
export type NamedTarget = { label: string; target: ConnectionTarget } | { label: string; unavailable: ErrorInfo };

function read(side: NamedTarget, context?: EngineContext) {
  if ('unavailable' in side) return Promise.resolve(unavailableEnvironment(side.label, side.unavailable));
  return readEnvironment(side.label, side.target, { withSchema: true, context });
}

export async function compareEnvironments(left: NamedTarget, right: NamedTarget, context?: EngineContext): Promise<CompareReport> {
  const [a, b] = await Promise.all([read(left, context), read(right, context)]);
  const both = a.side.reachable && b.side.reachable;
  const leftNames = new Map(a.side.applied.map((m) => [m.name, m]));
  const rightNames = new Map(b.side.applied.map((m) => [m.name, m]));
  const onlyLeft = both ? a.side.applied.filter((m) => !rightNames.has(m.name)).map((m) => m.name) : [];
  const onlyRight = both ? b.side.applied.filter((m) => !leftNames.has(m.name)).map((m) => m.name) : [];
  const checksumDifferences = both
    ? a.side.applied.flatMap((m) => {
        const other = rightNames.get(m.name);
        return other && m.checksum && other.checksum && m.checksum !== other.checksum ? [{ name: m.name, left: m.checksum, right: other.checksum }] : [];
      })
    : [];
  const schemaDiff = a.schema && b.schema ? diffSchemas(a.schema, b.schema) : null;
  return {
    left: a.side,
    right: b.side,
    onlyLeft,
    onlyRight,
    checksumDifferences,
    schemaDiff,
    same: both && onlyLeft.length === 0 && onlyRight.length === 0 && checksumDifferences.length === 0 && schemaDiff!.changes.length === 0,
  };
}
