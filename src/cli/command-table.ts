/**
 * The CLI's commands. To add one: write its table (a `CommandSpec`: name, arguments, options from
 * `option-catalog.ts`, a lazy `load`) in `tables/<area>.ts` and list that file's array here;
 * parsing, refusal of other options and `<command> --help` follow from the table.
 */
import type { CommandSpec } from './command-spec';
import { adoptCommands } from './tables/adopt-commands';
import { backupCommands } from './tables/backup-commands';
import { migrationCommands } from './tables/migration-commands';
import { projectCommands } from './tables/project-commands';
import { safetyCommands } from './tables/safety-commands';

export const COMMANDS: readonly CommandSpec[] = [...migrationCommands, ...projectCommands, ...backupCommands, ...safetyCommands, ...adoptCommands];

export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name);
}
