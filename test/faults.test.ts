// The fault-injection suite's seeded subset (the full run is `npm run faults`, ≥ 300 trials): one trial
// per scenario × fault of the table, run as in the full suite (CLI child processes killed, their backends
// terminated, two at once, racing the knex CLI), each checked against the database's real state.
// Its databases (templates, reference, one per trial) are created and dropped by the run.
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { serverUrl } from './database';
import { fuzzSeed } from './fuzz/seeded-random';
import { describeFindings, runFaults } from './faults/run-faults';
import { COMBINATIONS } from './faults/scenarios';

const TRIALS = COMBINATIONS.map((_, i) => i);

it(`${TRIALS.length} seeded fault trials: nothing half-applied, the lock diagnosed, the history complete, the reference schema reached`, async () => {
  const seed = fuzzSeed(20261130);
  const report = await runFaults({
    serverUrl: serverUrl(),
    seed,
    trials: COMBINATIONS.length,
    only: TRIALS,
    jobs: 4,
    prefix: `st_faults_${randomBytes(3).toString('hex')}_`,
  });
  const pending = describeFindings(report, 'pending');
  if (pending.length) console.log(`Fault trials waiting for a fix (seed ${seed}):\n${pending.join('\n')}`);
  expect(report.results).toHaveLength(TRIALS.length);
  expect(describeFindings(report, 'violated'), `seed ${seed}\n${report.table}`).toEqual([]);
}, 900_000);
