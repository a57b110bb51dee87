/** Passwords typed into URLs are split off, so they are kept as secrets and never saved in plain text. */
import { splitUrlPassword as splitPassword } from '../engine';
import type { Profile } from '../shared/contract';

/** A URL's embedded password, split off so it is kept as a secret and never saved in plain text. */
export function splitUrlPassword(profile: Profile): { profile: Profile; password?: string } {
  if (!profile.url) return { profile };
  // The engine reports a malformed URL with a proper message when connecting.
  const { url, password } = splitPassword(profile.url);
  return password === undefined ? { profile } : { profile: { ...profile, url }, password };
}
