/** The commands that write project files: one table each. */
import { TARGET_OPTIONS } from '../option-catalog';
import type { CommandSpec } from '../command-spec';

export const projectCommands: CommandSpec[] = [
  {
    name: 'new',
    args: '<name...>',
    positionals: { min: 0, max: Infinity }, // a missing name gets its own message with an example
    summary: 'create <UTC timestamp>_<name> from the template, as knex migrate:make names it',
    options: { language: true, js: true, ...TARGET_OPTIONS },
    load: async () => (await import('../commands/new-command')).newCommand,
  },
  {
    name: 'init',
    args: '[folder]',
    positionals: { min: 0, max: 1 },
    summary: 'create migrations/ and knexfile.ts (never overwrites)',
    options: { cwd: true, json: true, help: true },
    load: async () => (await import('../commands/new-command')).initCommand,
  },
];
