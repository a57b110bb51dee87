/** What a CLI command is: its name, arguments, options and the code it runs (loaded only when called). */
import type { CliOptions, CommandOptions, OptionName } from './option-catalog';

export interface ParsedCommand {
  /** The command's name, e.g. `upgrade`. */
  command: string;
  positionals: string[];
  options: CliOptions;
  /** Every value of an option the command lets you repeat (`repeatable`), in order; `options` holds the first. */
  repeated?: Partial<Record<OptionName, string[]>>;
}

export type CommandRun = (parsed: ParsedCommand) => Promise<number>;

export interface CommandSpec {
  name: string;
  /** Its arguments as help shows them, e.g. `<id>`, `[folder]`, `<name...>`. */
  args?: string;
  /** How many arguments it takes (after the command's name). */
  positionals: { min: number; max: number };
  /** One line for `stepstone help`. */
  summary: string;
  /** Longer text for `stepstone <command> --help`. */
  description?: string;
  /** The options it takes; any other is refused (exit 2). */
  options: CommandOptions;
  /** Options this command takes more than once (e.g. compare's two --env), collected in `ParsedCommand.repeated`. */
  repeatable?: readonly OptionName[];
  /** The implementation, imported only when this command runs (start-up stays lean). */
  load: () => Promise<CommandRun>;
}
