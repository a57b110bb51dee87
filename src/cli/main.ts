/**
 * `stepstone <command>`: the engine for terminals and CI pipelines. Each command is loaded
 * only when called, so start-up stays lean. Exit 0 on success; otherwise non-zero with a
 * one-line cause on stderr (and, with --json, an error document on stdout).
 */
import { StepstoneError, toErrorInfo } from '../engine/errors';
import { parseCommandLine, type ParsedCommand } from './parse-args';
import { HELP } from './help';

type Command = (parsed: ParsedCommand) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  status: async () => (await import('./commands/status-command')).statusCommand,
  upgrade: async () => (await import('./commands/migrate-command')).upgradeCommand,
  rollback: async () => (await import('./commands/migrate-command')).rollbackCommand,
  history: async () => (await import('./commands/history-command')).historyCommand,
  unlock: async () => (await import('./commands/unlock-command')).unlockCommand,
  new: async () => (await import('./commands/new-command')).newCommand,
  init: async () => (await import('./commands/new-command')).initCommand,
  plan: async () => (await import('./commands/plan-command')).planCommand,
  sql: async () => (await import('./commands/plan-command')).sqlCommand,
  drift: async () => (await import('./commands/drift-command')).driftCommand,
  backup: async () => (await import('./commands/backup-commands')).backupCommand,
  backups: async () => (await import('./commands/backup-commands')).backupsCommand,
  restore: async () => (await import('./commands/backup-commands')).restoreCommand,
  verify: async () => (await import('./commands/backup-commands')).verifyCommand,
};

export async function main(argv: string[]): Promise<void> {
  // `stepstone status | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  let json = argv.includes('--json');
  try {
    const parsed = parseCommandLine(argv);
    json = Boolean(parsed.options.json);
    if (!parsed.command || parsed.command === 'help' || parsed.options.help) {
      process.stdout.write(HELP);
      return;
    }
    const load = COMMANDS[parsed.command];
    if (!load) {
      throw new StepstoneError('INVALID_INPUT', `Unknown command "${parsed.command}".`, { hint: 'Run `stepstone help` for the list of commands.' });
    }
    process.exitCode = await (await load())(parsed);
  } catch (error) {
    const info = toErrorInfo(error);
    if (json) process.stdout.write(`${JSON.stringify({ ok: false, error: info }, null, 2)}\n`);
    process.stderr.write(`stepstone: ${info.message}${info.hint ? ` ${info.hint}` : ''}\n`);
    process.exitCode = info.code === 'INVALID_INPUT' ? 2 : 1;
  }
}
