/** The commands that check migrations before they run (lint) and compare environments: one table each. */
import { TARGET_OPTIONS } from '../option-catalog';
import type { CommandSpec } from '../command-spec';

export const safetyCommands: CommandSpec[] = [
  {
    name: 'lint',
    positionals: { min: 0, max: 0 },
    summary: 'check pending migrations for locks, rewrites and data loss against the live table sizes (exit 1 on an error)',
    description: [
      'A dry run that changes nothing traces the locks each statement takes and the tables it rewrites; PostgreSQL\'s',
      'parser reads every statement; table sizes come from the live database (also on production profiles, whose',
      'dry run runs on a scratch copy). A statement that blocks or rewrites a table of 100,000 rows or 100 MB or more',
      '(the profile\'s lintThresholds) is an error; smaller tables, data loss, renames and backfills are warnings.',
      'Silence a rule for one migration with a line comment giving the reason, e.g.',
      '`// stepstone-lint-ignore index-not-concurrent -- orders is written only by the nightly job`.',
      'Exit 1 when any unsuppressed error remains, else 0.',
    ].join(' '),
    options: { to: 'lint the pending migrations up to and including this one', rules: true, ...TARGET_OPTIONS },
    load: async () => (await import('../commands/lint-command')).lintCommand,
  },
  {
    name: 'compare',
    positionals: { min: 0, max: 0 },
    summary: 'two environments side by side: applied migrations, files edited between their runs (checksums), schema difference',
    description: [
      'Name them as knexfile environments (`--env staging --env production`, the default when neither is given) or',
      'as two `--db <url>`. A side that cannot be reached is explained while the other is still shown (exit 1);',
      'differences alone exit 0. Read-only on both.',
    ].join(' '),
    options: {
      env: 'a knexfile environment; give it twice (default: staging and production)',
      db: 'a database URL; give it twice, or once after one --env',
      knexfile: true,
      cwd: true,
      migrations: true,
      'table-name': true,
      'schema-name': true,
      home: true,
      json: true,
      help: true,
    },
    repeatable: ['env', 'db'],
    load: async () => (await import('../commands/compare-command')).compareCommand,
  },
];
