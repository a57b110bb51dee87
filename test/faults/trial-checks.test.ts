// The fault suite's history check on its own, over made-up observations: a killed restore that only
// got as far as clearing what earlier runs left has not started; one that printed its own progress has.
import { describe, expect, it } from 'vitest';
import type { Child } from './processes';
import { checkHistory, type Observed } from './trial-checks';

function killedRestore(stderr: string): Child {
  return {
    label: 'stepstone', kind: 'stepstone', pid: 1, stdout: '', stderr, killed: true, hung: false, firstOutputAt: 900,
    exit: Promise.resolve({ code: null, signal: 'SIGKILL' }), done: true, startedAt: 0, killedAt: 1500, endedAt: 1500, note: null, code: null,
  } as Child;
}

function observed(child: Child, rows: Observed['rows']): Observed {
  return {
    spec: { scenario: 'restore/pg_dump', fault: 'sigkill' } as Observed['spec'],
    operation: 'restore',
    stepstones: [child],
    truthBefore: 'free', truthAfter: 'free', rowSet: false,
    status: { code: 0, stdout: '', stderr: '', json: null },
    rows, shown: [], ledger: new Set(), objects: new Map(), orphans: [], partials: [], listing: null,
    intoExists: false, intoComplete: null, missingFiles: [],
    features: { historyStart: true, nonTransactionalJournal: true, leftoverReport: true },
  };
}

describe('the history check', () => {
  it('does not count a restore killed while clearing leftovers as started', () => {
    const child = killedRestore('stepstone: Dropped 1 database left by interrupted runs: stepstone_shadow_7f1d7dfe35bd.\n');
    expect(checkHistory(observed(child, [])).verdict).toBe('na');
  });

  it('counts a restore that printed its own progress, and wants its row', () => {
    const child = killedRestore('stepstone: Dropped 1 database left by interrupted runs: stepstone_shadow_1.\nstepstone: Created the database "x".\n');
    expect(checkHistory(observed(child, [])).verdict).toBe('violated');
    expect(checkHistory(observed(child, [{ id: 3, outcome: 'failed', database: 'x' }])).verdict).toBe('ok');
  });
});
