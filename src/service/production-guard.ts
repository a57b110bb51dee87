/**
 * Safety rules of profiles the service applies: read-only refuses changes. The production confirmation
 * (the database name typed) is the engine's one rule: `engine.confirmationFor` tells the shells what to
 * ask, `engine.requireConfirmation` checks the answer on every request that changes a database.
 */
import type { Profile } from '../shared/contract';
import { StepstoneError } from '../engine';

/** Throws READ_ONLY for a profile marked read-only. */
export function requireWritable(profile: Profile, action: string): void {
  if (!profile.readOnly) return;
  throw new StepstoneError('READ_ONLY', `"${profile.name}" is read-only: ${action} is not allowed.`, {
    hint: 'Edit the profile and clear "read-only" if you mean to change this database.',
  });
}
