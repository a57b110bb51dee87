/**
 * Command-line parsing with node's own parseArgs (no dependency, nothing loaded at start-up), one
 * options table per command: an option the command does not take, a value missing, empty or given
 * twice is a usage error (exit 2) that names the option and the command.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { StepstoneError } from '../engine';
import type { CommandSpec, ParsedCommand } from './command-spec';
import { COMMANDS, findCommand } from './command-table';
import { OPTIONS, canonicalOption, type CliOptions, type OptionName, type OptionSpec } from './option-catalog';

export type { ParsedCommand } from './command-spec';
export type { CliOptions } from './option-catalog';

/** What the command line asks for. */
export type CommandLine = { kind: 'help'; command?: CommandSpec } | { kind: 'version' } | { kind: 'run'; spec: CommandSpec; parsed: ParsedCommand };

type ParseOptions = NonNullable<ParseArgsConfig['options']>;

/** parseArgs' configuration for these options, each alias as an option of its own (folded back afterwards). */
function parseArgsOptions(names: Iterable<OptionName>): ParseOptions {
  const config: ParseOptions = {};
  for (const name of names) {
    const spec: OptionSpec = OPTIONS[name];
    const base = { type: spec.type, ...(spec.multiple ? { multiple: true } : {}) };
    config[name] = { ...base, ...(spec.short ? { short: spec.short } : {}) };
    for (const alias of spec.aliases ?? []) config[alias] = base;
  }
  return config;
}

const ALL_OPTIONS: ParseOptions = { ...parseArgsOptions(Object.keys(OPTIONS) as OptionName[]), version: { type: 'boolean', short: 'V' } };

function usageError(message: string, hint?: string): StepstoneError {
  return new StepstoneError('INVALID_INPUT', message, { hint: hint ?? 'Run `stepstone help` for the commands and their options.' });
}

/** Parse argv: find the command (wherever options are written), then read its options by its own table. */
export function parseCommandLine(argv: string[]): CommandLine {
  const { tokens } = parseArgs({ args: argv, options: ALL_OPTIONS, allowPositionals: true, strict: false, tokens: true });
  const first = tokens.find((t) => t.kind === 'positional');
  if (!first || first.kind !== 'positional') {
    const version = tokens.some((t) => t.kind === 'option' && t.name === 'version');
    return version ? { kind: 'version' } : { kind: 'help' };
  }
  const rest = argv.filter((_, i) => i !== first.index);
  if (first.value === 'help') {
    const about = tokens.find((t) => t.kind === 'positional' && t !== first);
    if (!about || about.kind !== 'positional') return { kind: 'help' };
    return { kind: 'help', command: commandNamed(about.value) };
  }
  const spec = commandNamed(first.value);
  return readCommand(spec, rest);
}

function commandNamed(name: string): CommandSpec {
  const spec = findCommand(name);
  if (!spec) throw usageError(`Unknown command "${name}".`, `The commands are ${COMMANDS.map((c) => c.name).join(', ')}; run \`stepstone help\` for what each does.`);
  return spec;
}

/** The command's options and arguments, or the first thing wrong with them. */
function readCommand(spec: CommandSpec, args: string[]): CommandLine {
  const allowed = Object.keys(spec.options) as OptionName[];
  const { tokens } = parseArgs({ args, options: parseArgsOptions(allowed), allowPositionals: true, strict: false, tokens: true });
  const options: CliOptions = {};
  const values = options as Record<string, unknown>;
  const positionals: string[] = [];
  const repeated: Partial<Record<OptionName, string[]>> = {};
  const commandHint = `Run \`stepstone ${spec.name} --help\` for its options.`;
  // --help wins over everything else on the line, as it does for most tools.
  if (tokens.some((t) => t.kind === 'option' && t.name === 'help' && allowed.includes('help'))) return { kind: 'help', command: spec };

  for (const token of tokens) {
    if (token.kind === 'positional') {
      positionals.push(token.value);
      continue;
    }
    if (token.kind !== 'option') continue;
    const name = canonicalOption(token.name);
    if (!name || !allowed.includes(name)) {
      const others = name ? COMMANDS.filter((c) => name in c.options).map((c) => c.name) : [];
      throw usageError(`${spec.name} does not take ${token.rawName}.`, others.length ? `${token.rawName} is an option of ${others.join(', ')}. ${commandHint}` : commandHint);
    }
    const spec_ = OPTIONS[name] as OptionSpec;
    const shown = `--${name}`;
    if (spec_.type === 'boolean') {
      if (token.value !== undefined) throw usageError(`${shown} takes no value (given "${token.value}").`, commandHint);
      if (values[name] !== undefined) throw givenTwice(name, token.rawName);
      values[name] = true;
      continue;
    }
    const value = token.value;
    if (value === undefined || (!token.inlineValue && looksLikeOption(value))) {
      throw usageError(`${shown} needs a value${value === undefined ? '' : ` (found the option ${value})`}.`, `e.g. ${shown} ${spec_.value ?? '<value>'}. ${commandHint}`);
    }
    if (value.trim() === '') throw usageError(`${shown} is empty.`, `Give it a value: ${shown} ${spec_.value ?? '<value>'}.`);
    if (spec_.multiple) values[name] = [...((values[name] as string[] | undefined) ?? []), value];
    else if (spec.repeatable?.includes(name)) {
      repeated[name] = [...(repeated[name] ?? []), value];
      values[name] ??= value;
    } else if (values[name] !== undefined) throw givenTwice(name, token.rawName);
    else values[name] = value;
  }

  const { min, max } = spec.positionals;
  if (positionals.length > max) {
    const got = positionals.map((p) => `"${p}"`).join(' ');
    throw usageError(
      max === 0 ? `${spec.name} takes no arguments (got ${got}).` : `${spec.name} takes ${max === 1 ? 'one argument' : `at most ${max} arguments`} (${spec.args}), not ${positionals.length}: ${got}.`,
      commandHint,
    );
  }
  if (positionals.length < min) throw usageError(`${spec.name} needs ${spec.args}.`, commandHint);
  return { kind: 'run', spec, parsed: { command: spec.name, positionals, options, ...(spec.repeatable ? { repeated } : {}) } };
}

/** A value that is really the next option (`--db --json`): a long option, or a short one the CLI knows. */
function looksLikeOption(value: string): boolean {
  if (value.startsWith('--')) return true;
  return /^-[a-zA-Z]$/.test(value) && canonicalOption(value.slice(1)) !== undefined;
}

function givenTwice(name: OptionName, rawName: string): StepstoneError {
  const alias = rawName !== `--${name}` ? ` (${rawName} is another spelling of it)` : '';
  return usageError(`--${name} is given twice${alias}.`, 'Give it once.');
}

/** The largest count an option takes: PostgreSQL's integer, far beyond any real migration count. */
export const MAX_COUNT = 2_147_483_647;

/** A positive integer option (--step, --limit, --keep), or a clear error: not a number, or out of range. */
export function positiveInt(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || /^0+$/.test(value)) {
    throw new StepstoneError('INVALID_INPUT', `--${name} must be a positive integer, not "${value}".`, { hint: `Give a whole number of 1 or more, e.g. --${name} 1.` });
  }
  const n = Number(value);
  if (n > MAX_COUNT) throw new StepstoneError('INVALID_INPUT', `--${name} ${value} is out of range: at most ${MAX_COUNT}.`, { hint: `Give a number from 1 to ${MAX_COUNT}.` });
  return n;
}
