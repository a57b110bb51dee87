/** What a timeline row shows of a migration's checks: its lint findings and its latest rollback check. */
import type { LintFinding, StoredRollbackCheck } from '../../../shared/contract';

/** Rules that lose data: the brief's "destructive" badge. */
const DESTRUCTIVE = new Set(['drop-column', 'drop-table']);

export interface LintSummary {
  errors: number;
  warnings: number;
  destructive: boolean;
}

/** Unsuppressed lint findings of each migration, counted. */
export function summariseLint(findings: readonly LintFinding[]): Map<string, LintSummary> {
  const out = new Map<string, LintSummary>();
  for (const f of findings) {
    if (f.suppressed) continue;
    const s = out.get(f.migration) ?? { errors: 0, warnings: 0, destructive: false };
    if (f.severity === 'error') s.errors++;
    else if (f.severity === 'warning') s.warnings++;
    if (DESTRUCTIVE.has(f.rule)) s.destructive = true;
    out.set(f.migration, s);
  }
  return out;
}

/** A rollback check as a badge: its words, tone and tooltip; "outdated" when the file changed since. */
export function rollbackBadge(check: StoredRollbackCheck | undefined, currentChecksum: string | null): { text: string; tone: 'ok' | 'danger' | 'neutral'; title: string } | null {
  if (!check) return null;
  const when = `checked ${check.verifiedAt}`;
  if (currentChecksum !== null && currentChecksum !== check.checksum) return { text: 'rollback check outdated', tone: 'neutral', title: `The file changed since its rollback was ${when}: test rollbacks again.` };
  if (check.result === 'ok') return { text: 'rollback verified', tone: 'ok', title: `up → down → up gave back the same schema (${when}).` };
  const words = { 'not-reversible': 'rollback leaves changes', 'down-failed': 'rollback fails', 'up-failed': 'up fails', 're-up-failed': 're-apply fails' } as const;
  return { text: words[check.result], tone: 'danger', title: `${check.message} (${when})` };
}
