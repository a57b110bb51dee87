/** The commands that adopt a database and write migrations from schema changes (issue 12): one table each. */
import { TARGET_OPTIONS } from '../option-catalog';
import type { CommandSpec } from '../command-spec';

const SHADOW = { shadow: true } as const;

export const adoptCommands: CommandSpec[] = [
  {
    name: 'baseline',
    positionals: { min: 0, max: 0 },
    summary: 'adopt a database no migration built: one migration that recreates its schema, verified on a shadow database, written and stamped as applied',
    description: [
      'Reads the live schema (Knex\'s and Stepstone\'s tables left out) and writes <timestamp>_<name>.ts (or .js, as `new` decides) whose up',
      'recreates it and whose down removes it. Before writing, up, down and up again run on a shadow database (a temporary one',
      'on the same server, or --shadow): up must give the live schema, down an empty one. Then the file is recorded as applied',
      '(a ledger row in a new batch, its checksum, a history entry) without running it: the live schema and data are untouched.',
      'Differences, or objects the introspection cannot reproduce, mean nothing is written (exit 1); --force writes and stamps anyway, recorded.',
    ].join(' '),
    options: { name: true, force: 'write and stamp even when verification fails or objects cannot be reproduced (recorded)', yes: true, ...SHADOW, ...TARGET_OPTIONS },
    load: async () => (await import('../commands/adopt-commands')).baselineCommand,
  },
  {
    name: 'stamp',
    args: '<name>',
    positionals: { min: 0, max: 1 },
    summary: 'mark migrations up to <name> (or --head) as applied without running them, only if they give exactly the live schema',
    description: [
      'For a database built before the folder was adopted, or by another tool: the migrations up to <name> run on a shadow database and',
      'must give exactly the live schema; then those not yet applied are recorded in a new batch (ledger rows, checksums, a history entry).',
      'Otherwise nothing is recorded and the differences are listed (exit 1); --force stamps anyway, recorded.',
    ].join(' '),
    options: { head: true, force: 'stamp even when the schemas differ (recorded)', yes: true, ...SHADOW, ...TARGET_OPTIONS },
    load: async () => (await import('../commands/adopt-commands')).stampCommand,
  },
  {
    name: 'generate',
    args: '<name>',
    positionals: { min: 0, max: Infinity },
    summary: 'a migration from schema changes (--from <url> | --from-file <schema.sql> | --from-drift), verified on a shadow database before it is written',
    description: [
      'The migrations folder applied to a shadow database gives the current schema; the difference to the desired one becomes one migration',
      '(Knex\'s builder where it is exact, knex.raw otherwise; down reverses up). Renames are asked, never guessed: --rename.',
      'The file is written only when up gives the desired schema and down the current one on the shadow (--force writes anyway, with the',
      'differences in its header). No difference: no file, exit 0.',
    ].join(' '),
    options: {
      from: true,
      'from-file': true,
      'from-drift': true,
      rename: true,
      force: 'write the file even when verification finds differences (listed in its header)',
      language: true,
      js: true,
      ...SHADOW,
      ...TARGET_OPTIONS,
    },
    load: async () => (await import('../commands/adopt-commands')).generateCommand,
  },
  {
    name: 'check',
    positionals: { min: 0, max: 0 },
    summary: 'the CI gate: exit 1 with one line per problem (edited or missing applied files, out-of-order files, drift, and with --from/--from-file what generate would write)',
    options: { from: true, 'from-file': true, ...SHADOW, ...TARGET_OPTIONS },
    load: async () => (await import('../commands/check-command')).checkCommand,
  },
];
