/**
 * What a trial does and what goes wrong while it does it. A scenario is one Stepstone operation
 * from a known starting state; a fault is what happens to it. Every combination that means
 * something is a cell of the final table.
 */
import type { Random } from '../fuzz/seeded-random';

export const SCENARIOS = [
  'upgrade/one-transaction',
  'upgrade/per-migration',
  'rollback/one-transaction',
  'rollback/per-migration',
  'upgrade/concurrently+blocker',
  'backup/builtin',
  'backup/pg_dump',
  'restore/builtin',
  'restore/pg_dump',
] as const;
export type Scenario = (typeof SCENARIOS)[number];

export const FAULTS = ['sigkill', 'terminate', 'two-stepstone', 'knex-cli'] as const;
export type Fault = (typeof FAULTS)[number];

/** The knex CLI races migrations only: it has no backups to race. */
export function faultApplies(scenario: Scenario, fault: Fault): boolean {
  return fault !== 'knex-cli' || scenario.startsWith('upgrade/') || scenario.startsWith('rollback/');
}

export const COMBINATIONS: { scenario: Scenario; fault: Fault }[] = SCENARIOS.flatMap((scenario) =>
  FAULTS.filter((fault) => faultApplies(scenario, fault)).map((fault) => ({ scenario, fault })),
);

/** Everything random about one trial, drawn from its own seed so one trial replays alone. */
export interface TrialSpec {
  index: number;
  seed: number;
  scenario: Scenario;
  fault: Fault;
  /** Migrations applied before the trial (a template database). */
  base: 0 | 1 | 2 | 4 | 6;
  /** The Stepstone command's arguments after the connection options. */
  args: string[];
  /** Restore: into a new database (its name) or in place (null). */
  into: string | null;
  /** When the fault strikes: ms after the CLI's first output, or after its start when `fromSpawn`. */
  delayMs: number;
  fromSpawn: boolean;
  /** Second process's start, ms after the first's (two-stepstone, knex-cli); negative: the other starts first. */
  staggerMs: number;
  /** How long the blocking transaction stays open (concurrently scenario). */
  blockerMs: number;
  /** Which repair to take when several are offered. */
  repairPick: number;
}

/** Mixes the run's seed and a trial's index into that trial's seed. */
export function trialSeed(runSeed: number, index: number): number {
  let h = (runSeed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** The trial `index` of a run: combinations in turn (from an offset the seed picks), parameters from the trial's seed. */
export function trialSpec(runSeed: number, index: number, random: (seed: number) => Random, databasePrefix: string): TrialSpec {
  const seed = trialSeed(runSeed, index);
  const r = random(seed);
  const offset = runSeed % COMBINATIONS.length;
  const { scenario, fault } = COMBINATIONS[(index + offset) % COMBINATIONS.length];
  let base: TrialSpec['base'] = 4;
  let args: string[] = [];
  let into: string | null = null;
  const perMigration = scenario.endsWith('/per-migration') ? ['--per-migration'] : [];
  if (scenario.startsWith('upgrade/') && scenario !== 'upgrade/concurrently+blocker') {
    base = r.pick([0, 0, 1, 2] as const);
    // Up to the last transactional migration, so a one-transaction plan stays one transaction.
    args = ['upgrade', '--yes', '--no-backup', ...perMigration, ...(r.chance(0.8) ? ['--to', '20240101000004_create_events.js'] : ['--step', String(r.int(1, 4 - base))])];
  } else if (scenario.startsWith('rollback/')) {
    base = 4;
    args = ['rollback', '--yes', '--no-backup', ...perMigration, ...(r.chance(0.5) ? ['--all'] : ['--step', String(r.int(1, 4))])];
  } else if (scenario === 'upgrade/concurrently+blocker') {
    base = 4;
    args = ['upgrade', '--yes', '--no-backup'];
  } else if (scenario.startsWith('backup/')) {
    base = r.pick([4, 6] as const);
    args = ['backup', '--method', scenario === 'backup/builtin' ? 'builtin' : 'pg_dump'];
  } else {
    base = 6;
    into = r.chance(0.6) ? `${databasePrefix}${index}_into` : null;
    args = ['restore', scenario === 'restore/builtin' ? 'BUILTIN' : 'PGDUMP', '--yes', ...(into ? ['--into', into] : [])];
  }
  const slow = scenario.startsWith('backup/') || scenario.startsWith('restore/');
  return {
    index,
    seed,
    scenario,
    fault,
    base,
    args,
    into,
    fromSpawn: r.chance(0.2),
    delayMs: r.int(0, slow ? 2500 : scenario === 'upgrade/concurrently+blocker' ? 2000 : 1200),
    staggerMs: r.int(-400, 600),
    blockerMs: r.int(300, 2500),
    repairPick: r.int(0, 7),
  };
}
