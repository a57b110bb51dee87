/** Asking before a write: `--yes` skips it; with no terminal to ask, the command refuses rather than guess. */
import { createInterface } from 'node:readline/promises';
import { StepstoneError } from '../engine';
import type { Confirmation } from '../shared/contract';

/**
 * Ask on the terminal (stderr) what the engine's `confirmation` asks: the database name typed (production) or
 * yes/no; without one, yes/no.
 */
export async function confirm(question: string, options: { yes?: boolean; confirmation?: Confirmation }): Promise<void> {
  if (options.yes) return;
  if (!process.stdin.isTTY) {
    throw new StepstoneError('CONFIRMATION_REQUIRED', 'This command changes the database and needs a confirmation, but there is no terminal to ask.', {
      hint: 'Review the plan (stepstone plan …) and pass --yes to run it.',
    });
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    if (options.confirmation?.kind === 'typed-name') {
      const expected = options.confirmation.name;
      const answer = await rl.question(`${question}\nType the database name (${expected}) to confirm: `);
      if (answer.trim() !== expected) throw new StepstoneError('CANCELLED', 'Not confirmed: the name did not match. Nothing was changed.');
    } else {
      const answer = await rl.question(`${question} [y/N] `);
      if (!/^y(es)?$/i.test(answer.trim())) throw new StepstoneError('CANCELLED', 'Not confirmed. Nothing was changed.');
    }
  } finally {
    rl.close();
  }
}
