/** The CLI's help, written from the command tables: `stepstone help` and `stepstone <command> --help`. */
import type { CommandSpec } from './command-spec';
import { COMMANDS } from './command-table';
import { OPTIONS, TARGET_OPTIONS, type OptionName, type OptionSpec } from './option-catalog';

const WIDTH = 30;

function row(left: string, right: string): string {
  return left.length < WIDTH - 2 ? `  ${left.padEnd(WIDTH - 2)}${right}` : `  ${left}\n${' '.repeat(WIDTH)}${right}`;
}

function optionLine(name: OptionName, description: true | string): string {
  const spec: OptionSpec = OPTIONS[name];
  const flag = `--${name}${spec.value ? ` ${spec.value}` : ''}${spec.short ? `, -${spec.short}` : ''}`;
  const aliases = spec.aliases?.length ? ` (also ${spec.aliases.map((a) => `--${a}`).join(', ')})` : '';
  return row(flag, `${description === true ? spec.description : description}${aliases}`);
}

const FOOTER = `Environment
  PGPASSWORD, ~/.pgpass          the password, kept out of \`ps\` (a password in --db is visible to every local user)
  STEPSTONE_HOME=<dir>           Stepstone's data folder
  STEPSTONE_PG_DUMP=<path>|none  the pg_dump to use, or none to always use the built-in backup

Exit status: 0 on success; 1 when the command failed (the cause is on stderr); 2 for bad usage.
`;

export function globalHelp(): string {
  const commands = COMMANDS.map((c) => row(`${c.name}${c.args ? ` ${c.args}` : ''}`, c.summary));
  const common = (Object.entries(TARGET_OPTIONS) as [OptionName, true][]).map(([name, d]) => optionLine(name, d));
  return [
    'stepstone — versioned Knex migrations on PostgreSQL, with plans, history, locks and backups',
    '',
    'Usage: stepstone <command> [options]      stepstone <command> --help      stepstone --version',
    '',
    'Commands',
    ...commands,
    '',
    'Where (every command that works on a database)',
    ...common,
    '',
    "Run `stepstone <command> --help` for a command's own options.",
    '',
    FOOTER,
  ].join('\n');
}

export function commandHelp(spec: CommandSpec): string {
  const options = (Object.entries(spec.options) as [OptionName, true | string][]).map(([name, d]) => optionLine(name, d));
  return [
    `Usage: stepstone ${spec.name}${spec.args ? ` ${spec.args}` : ''} [options]`,
    '',
    `${spec.summary[0].toUpperCase()}${spec.summary.slice(1)}.${spec.description ? ` ${spec.description}` : ''}`,
    '',
    'Options',
    ...options,
    '',
    FOOTER,
  ].join('\n');
}
