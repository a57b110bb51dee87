/** The commands over migrations and the ledger: one table each. */
import { RUN_OPTIONS, TARGET_OPTIONS } from '../option-catalog';
import type { CommandSpec } from '../command-spec';

const none = { min: 0, max: 0 };

export const migrationCommands: CommandSpec[] = [
  {
    name: 'status',
    positionals: none,
    summary: 'applied, pending, missing, edited and out-of-order migrations; the lock',
    description: 'Read-only: never creates anything.',
    options: { ...TARGET_OPTIONS },
    load: async () => (await import('../commands/status-command')).statusCommand,
  },
  {
    name: 'upgrade',
    positionals: none,
    summary: 'apply pending migrations: all, the next <n> (--step), or up to and including <name> (--to)',
    options: {
      to: 'apply pending migrations up to and including <name> (a no-op when it is applied)',
      step: 'apply the next <n> pending migrations (knex migrate:up is --step 1)',
      ...RUN_OPTIONS,
      ...TARGET_OPTIONS,
    },
    load: async () => (await import('../commands/migrate-command')).upgradeCommand,
  },
  {
    name: 'rollback',
    positionals: none,
    summary: 'undo the last batch (default), the last <n> (--step), everything after <name> (--to), or all (--all)',
    options: {
      to: 'undo everything applied after <name> (it stays applied)',
      step: 'undo the last <n> migrations applied',
      all: 'undo every applied migration',
      ...RUN_OPTIONS,
      ...TARGET_OPTIONS,
    },
    load: async () => (await import('../commands/migrate-command')).rollbackCommand,
  },
  {
    name: 'history',
    positionals: none,
    summary: 'the audit log of upgrades, rollbacks, failures, unlocks, backups and restores',
    options: { operation: true, outcome: true, limit: true, ...TARGET_OPTIONS },
    load: async () => (await import('../commands/history-command')).historyCommand,
  },
  {
    name: 'unlock',
    positionals: none,
    summary: "release Knex's migration lock when it is stale (--force: even if live)",
    options: { force: true, ...TARGET_OPTIONS },
    load: async () => (await import('../commands/unlock-command')).unlockCommand,
  },
  {
    name: 'repair',
    args: '[<migration>]',
    positionals: { min: 0, max: 1 },
    summary: 'repair a non-transactional migration an interrupted run left half-done (status shows it and the repairs offered)',
    description: [
      'A migration with config.transaction = false (e.g. CREATE INDEX CONCURRENTLY) cannot be rolled back when its run dies:',
      'status reports it as interrupted with what it left. --action retry drops what it left (an invalid or orphaned index) so the next',
      'upgrade or rollback runs it again; --action complete records it as applied (or rolled back) when its objects are complete and valid.',
      'The migration may be left out when only one is interrupted. Recorded in the history.',
    ].join(' '),
    options: { action: true, yes: true, ...TARGET_OPTIONS },
    load: async () => (await import('../commands/repair-command')).repairCommand,
  },
  {
    name: 'plan',
    args: 'upgrade|rollback',
    positionals: { min: 0, max: Infinity }, // the kind is checked by the command, to name what is wrong
    summary: "a plan with each migration's SQL and schema change, from a dry run that is rolled back",
    options: {
      to: 'upgrade: up to and including <name>; rollback: everything after <name>',
      step: 'upgrade: the next <n> pending; rollback: the last <n> applied',
      all: 'rollback: every applied migration',
      'per-migration': true,
      ...TARGET_OPTIONS,
    },
    load: async () => (await import('../commands/plan-command')).planCommand,
  },
  {
    name: 'sql',
    args: 'upgrade|rollback',
    positionals: { min: 0, max: Infinity },
    summary: "a plan's SQL as a script to review (stdout)",
    options: {
      to: 'upgrade: up to and including <name>; rollback: everything after <name>',
      step: 'upgrade: the next <n> pending; rollback: the last <n> applied',
      all: 'rollback: every applied migration',
      'per-migration': true,
      ...TARGET_OPTIONS,
    },
    load: async () => (await import('../commands/plan-command')).sqlCommand,
  },
  {
    name: 'drift',
    positionals: none,
    summary: 'schema changes made outside migrations since the last Stepstone operation',
    options: { ...TARGET_OPTIONS },
    load: async () => (await import('../commands/drift-command')).driftCommand,
  },
];
