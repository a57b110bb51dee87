/**
 * The one confirmation rule: a change to a production database needs its name typed exactly; anywhere
 * else a click will do. Plans and statuses carry its answer for the shells to show; the service checks
 * the same answer on every request that changes the database.
 */
import type { Confirmation } from '../../shared/plan';
import { type ConnectionTarget, databaseNameOf } from '../connection/connection-target';
import { StepstoneError } from '../errors';
import { assertNever } from '../../shared/assert-never';

/** What a change to `target`'s database asks of the user. */
export function confirmationFor(target: ConnectionTarget): Confirmation {
  return target.profile.environment === 'production' ? { kind: 'typed-name', name: databaseNameOf(target) } : { kind: 'click' };
}

/** Throws CONFIRMATION_REQUIRED unless `given` satisfies `confirmationFor(target)` (`action`, e.g. "a restore", names the change). */
export function requireConfirmation(target: ConnectionTarget, given: string | undefined, action: string): void {
  const required = confirmationFor(target);
  switch (required.kind) {
    case 'click':
      return;
    case 'typed-name':
      if (given === required.name) return;
      break;
    default:
      return assertNever(required, 'confirmation');
  }
  const { name } = target.profile;
  throw new StepstoneError(
    'CONFIRMATION_REQUIRED',
    given === undefined
      ? `"${name}" is a production profile: ${action} needs the database name typed to confirm.`
      : `The confirmation "${given}" does not match the database name of "${name}".`,
    { hint: `Type ${required.name} exactly to confirm.` },
  );
}
