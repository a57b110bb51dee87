/** Command-line parsing with node's own parseArgs: no dependency, nothing loaded at start-up. */
import { parseArgs } from 'node:util';
import { StepstoneError } from '../engine/errors';

export const COMMON_OPTIONS = {
  db: { type: 'string' },
  knexfile: { type: 'string' },
  env: { type: 'string' },
  migrations: { type: 'string', multiple: true },
  'table-name': { type: 'string' },
  'schema-name': { type: 'string' },
  'per-migration': { type: 'boolean' },
  production: { type: 'boolean' },
  json: { type: 'boolean' },
  yes: { type: 'boolean', short: 'y' },
  home: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  to: { type: 'string' },
  step: { type: 'string' },
  all: { type: 'boolean' },
  force: { type: 'boolean' },
  'no-backup': { type: 'boolean' },
  method: { type: 'string' },
  into: { type: 'string' },
  language: { type: 'string' },
  js: { type: 'boolean' },
  operation: { type: 'string' },
  outcome: { type: 'string' },
  limit: { type: 'string' },
  keep: { type: 'string' },
  'backups-dir': { type: 'string' },
} as const;

export type CliOptions = {
  db?: string;
  knexfile?: string;
  env?: string;
  migrations?: string[];
  'table-name'?: string;
  'schema-name'?: string;
  'per-migration'?: boolean;
  production?: boolean;
  json?: boolean;
  yes?: boolean;
  home?: string;
  help?: boolean;
  to?: string;
  step?: string;
  all?: boolean;
  force?: boolean;
  'no-backup'?: boolean;
  method?: string;
  into?: string;
  language?: string;
  js?: boolean;
  operation?: string;
  outcome?: string;
  limit?: string;
  keep?: string;
  'backups-dir'?: string;
};

export interface ParsedCommand {
  command: string | undefined;
  positionals: string[];
  options: CliOptions;
}

/** Parse argv; unknown options are an error naming the option. */
export function parseCommandLine(argv: string[]): ParsedCommand {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: COMMON_OPTIONS, allowPositionals: true, strict: true });
    const [command, ...rest] = positionals;
    return { command, positionals: rest, options: values as CliOptions };
  } catch (error) {
    throw new StepstoneError('INVALID_INPUT', (error as Error).message.split('\n')[0], { hint: 'Run `stepstone help` for the commands and options.' });
  }
}

/** A positive integer option, or a clear error. */
export function positiveInt(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new StepstoneError('INVALID_INPUT', `--${name} must be a whole number of 1 or more, not "${value}".`);
  }
  return n;
}
