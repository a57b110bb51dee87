import { describe, expect, it } from 'vitest';
import type { MigrationStatus } from '../../shared/contract';
import { buildTimeline } from './timeline-model';
import { filterTimeline, parseTimelineQuery } from './timeline-filter';

const status: MigrationStatus = {
  applied: [
    { id: 1, name: '001_create_users.ts', batch: 1, appliedAt: '2025-01-01T00:00:00Z', recordedChecksum: 'c', durationMs: 1, appliedBy: 'a', missing: false, edited: false },
    { id: 2, name: '002_add_email.ts', batch: 2, appliedAt: '2025-01-02T00:00:00Z', recordedChecksum: 'c', durationMs: 1, appliedBy: 'a', missing: false, edited: true },
  ],
  pending: [
    { name: '003_create_orders.ts', path: '/m/003', outOfOrder: false },
    { name: '004_users_index.ts', path: '/m/004', outOfOrder: false },
  ],
  missing: [], edited: ['002_add_email.ts'], outOfOrder: [], unchecked: [], lock: { locked: false, state: 'free', holders: [] },
  head: '002_add_email.ts', lastBatch: 2, ledgerExists: true, serverVersion: '15', database: 'db',
};
const names = (q: string) => filterTimeline(buildTimeline(status, []), parseTimelineQuery(q)).rows.map((r) => (r.kind === 'divider' ? `--${r.pending}` : 'name' in r ? r.name : r.kind));

describe('timeline filter', () => {
  it('matches names, states and batches', () => {
    expect(names('users')).toEqual(['001_create_users.ts', '--1', '004_users_index.ts']);
    expect(names('pending')).toEqual(['--2', '003_create_orders.ts', '004_users_index.ts']);
    expect(names('users applied')).toEqual(['001_create_users.ts']);
    expect(names('batch 2')).toEqual(['002_add_email.ts']);
    expect(names('b:1')).toEqual(['001_create_users.ts']);
    expect(names('edited')).toEqual(['002_add_email.ts']);
    expect(names('head')).toEqual(['002_add_email.ts']);
    expect(names('')).toHaveLength(5);
  });

  it('keeps positions and indexes consistent for keyboard movement', () => {
    const t = filterTimeline(buildTimeline(status, []), parseTimelineQuery('create'));
    expect(t.matched).toBe(2);
    expect(t.migrationRowIndexes).toEqual([0, 2]);
    expect(t.rowIndexByName.get('003_create_orders.ts')).toBe(2);
  });
});
