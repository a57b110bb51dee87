import { describe, expect, it } from 'vitest';
import type { HistoryEntry, MigrationStatus } from '../../shared/contract';
import { buildTimeline, splitMigrationName } from './timeline-model';

const status = (applied: [string, string][], pending: string[]): MigrationStatus => ({
  applied: applied.map(([name, appliedAt], i) => ({ id: i + 1, name, batch: 1, appliedAt, recordedChecksum: null, durationMs: null, appliedBy: null, missing: false, edited: false })),
  pending: pending.map((name) => ({ name, path: name, outOfOrder: false })),
  missing: [], edited: [], outOfOrder: [], unchecked: [], lock: { locked: false, state: 'free', holders: [] },
  head: applied.at(-1)?.[0] ?? null, lastBatch: 1, ledgerExists: true, serverVersion: '15', database: 'db',
});

const entry = (id: number, operation: HistoryEntry['operation'], outcome: HistoryEntry['outcome'], startedAt: string, steps: HistoryEntry['steps'] = []): HistoryEntry => ({
  id, operation, outcome, osUser: 'u', host: 'h', startedAt, durationMs: 100, headBefore: null, headAfter: null, plan: null, steps, error: null, details: null,
});

describe('buildTimeline', () => {
  it('places history events where they happened, then the divider and pending rows', () => {
    const s = status([['001_a.ts', '2025-01-01T00:00:00Z'], ['002_b.ts', '2025-01-03T00:00:00Z']], ['003_c.ts']);
    const history = [
      entry(3, 'upgrade', 'failed', '2025-01-04T00:00:00Z', [{ name: '003_c.ts', direction: 'up', outcome: 'failed', durationMs: 1, error: 'boom' }]),
      entry(2, 'rollback', 'succeeded', '2025-01-02T00:00:00Z'),
      entry(1, 'backup', 'succeeded', '2025-01-02T00:00:00Z'),
    ];
    const t = buildTimeline(s, history);
    expect(t.rows.map((r) => (r.kind === 'event' ? `${r.event}#${r.entry.id}` : r.kind === 'divider' ? `--${r.pending}` : r.name))).toEqual([
      '001_a.ts', 'rollback#2', '002_b.ts', 'failure#3', '--1', '003_c.ts',
    ]);
    const pending = t.rows[5];
    expect(pending.kind === 'pending' && pending.lastFailure?.id).toBe(3);
    expect(t.rows[2].kind === 'applied' && t.rows[2].isHead).toBe(true);
    expect(t.migrationRowIndexes).toEqual([0, 2, 5]);
    expect(t.rowIndexByName.get('003_c.ts')).toBe(5);
  });

  it('forgets a failure once the migration was applied later', () => {
    const s = status([], ['001_a.ts']);
    const ok = entry(2, 'upgrade', 'succeeded', '2025-01-05T00:00:00Z', [{ name: '001_a.ts', direction: 'up', outcome: 'applied', durationMs: 1, error: null }]);
    const failed = entry(1, 'upgrade', 'failed', '2025-01-04T00:00:00Z', [{ name: '001_a.ts', direction: 'up', outcome: 'failed', durationMs: 1, error: 'x' }]);
    const row = buildTimeline(s, [ok, failed]).rows.find((r) => r.kind === 'pending');
    expect(row?.kind === 'pending' && row.lastFailure).toBeNull();
  });

  it('does not mark a migration failed when the user cancelled the run while it ran', () => {
    const s = status([], ['001_a.ts']);
    const cancelled = entry(1, 'upgrade', 'cancelled', '2025-01-04T00:00:00Z', [{ name: '001_a.ts', direction: 'up', outcome: 'failed', durationMs: 1, error: 'Cancelled while running.' }]);
    const t = buildTimeline(s, [cancelled]);
    const row = t.rows.find((r) => r.kind === 'pending');
    expect(row?.kind === 'pending' && row.lastFailure).toBeNull();
    // The cancelled run itself stays on the timeline as an event.
    expect(t.rows.some((r) => r.kind === 'event' && r.event === 'cancelled')).toBe(true);
  });
});

describe('splitMigrationName', () => {
  it('separates the Knex timestamp prefix', () => {
    expect(splitMigrationName('20250101120000_add_users.ts')).toEqual({ prefix: '20250101120000_', rest: 'add_users.ts' });
    expect(splitMigrationName('add_users.ts')).toEqual({ prefix: '', rest: 'add_users.ts' });
  });
});
