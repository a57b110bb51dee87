/**
 * `stepstone <command>`: the engine for terminals and CI pipelines. Each command's options come from
 * its table (`command-table.ts`) and its code is loaded only when called, so start-up stays lean.
 * Exit 0 on success; otherwise non-zero with a one-line cause on stderr (and, with --json, an error
 * document on stdout): 2 for bad usage, 1 when the command failed.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { StepstoneError, commandLinePasswordWarning, toErrorInfo } from '../engine';
import { parseCommandLine } from './parse-args';
import { commandHelp, globalHelp } from './help';
import { readVersion } from './version';
import { assertNever } from '../shared/assert-never';

export async function main(argv: string[]): Promise<void> {
  // `stepstone status | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  let json = argv.includes('--json');
  try {
    const line = parseCommandLine(argv);
    switch (line.kind) {
      case 'help':
        process.stdout.write(line.command ? commandHelp(line.command) : globalHelp());
        return;
      case 'version':
        process.stdout.write(`stepstone ${readVersion()}\n`);
        return;
      case 'run': {
        json = Boolean(line.parsed.options.json);
        // Once, whatever the command does with it: `ps` shows the password to every local user.
        const passwordWarning = line.parsed.options.db ? commandLinePasswordWarning(line.parsed.options.db) : null;
        if (passwordWarning) process.stderr.write(`stepstone: ${passwordWarning}\n`);
        if (line.parsed.options.cwd) changeFolder(line.parsed.options.cwd);
        process.exitCode = await (await line.spec.load())(line.parsed);
        return;
      }
      default:
        return assertNever(line, 'command line');
    }
  } catch (error) {
    const info = toErrorInfo(error);
    if (json) process.stdout.write(`${JSON.stringify({ ok: false, error: info }, null, 2)}\n`);
    process.stderr.write(`stepstone: ${info.message}${info.hint ? ` ${info.hint}` : ''}\n`);
    process.exitCode = info.code === 'INVALID_INPUT' ? 2 : 1;
  }
}

/**
 * `--cwd <dir>` (the knex CLI's): work from there, as if started in it. The one chdir Stepstone
 * keeps: it is what `--cwd` means in knex's CLI (bin/cli.js chdirs to it before anything else, so a
 * relative --knexfile and every other path resolve from it), and a CLI run is one process doing one
 * command. The chdir knex also makes to the knexfile's folder is not needed: the engine runs the
 * knexfile with that folder as its working folder without moving the process (folder-scope.ts).
 */
function changeFolder(dir: string): void {
  const target = resolve(dir);
  if (!statSync(target, { throwIfNoEntry: false })?.isDirectory()) {
    throw new StepstoneError('INVALID_INPUT', `--cwd ${dir} is not a folder.`, { hint: 'Give an existing folder, or leave --cwd out to work from here.' });
  }
  process.chdir(target);
}
