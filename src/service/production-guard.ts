/** Safety rules of profiles: production needs the database name typed; read-only refuses changes. */
import type { Profile } from '../shared/contract';
import { StepstoneError } from '../engine';

/** Throws CONFIRMATION_REQUIRED unless a production profile's database name was typed exactly. */
export function requireConfirmation(profile: Profile, databaseName: string, confirmation: string | undefined, action: string): void {
  if (profile.environment !== 'production') return;
  if (confirmation === databaseName) return;
  throw new StepstoneError(
    'CONFIRMATION_REQUIRED',
    confirmation === undefined
      ? `"${profile.name}" is a production profile: ${action} needs the database name typed to confirm.`
      : `The confirmation "${confirmation}" does not match the database name of "${profile.name}".`,
    { hint: `Type ${databaseName} exactly to confirm.` },
  );
}

/** Throws READ_ONLY for a profile marked read-only. */
export function requireWritable(profile: Profile, action: string): void {
  if (!profile.readOnly) return;
  throw new StepstoneError('READ_ONLY', `"${profile.name}" is read-only: ${action} is not allowed.`, {
    hint: 'Edit the profile and clear "read-only" if you mean to change this database.',
  });
}
