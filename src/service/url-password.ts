/** Passwords typed into URLs are split off, so they are kept as secrets and never saved in plain text. */
import type { Profile } from '../shared/contract';

/** A URL's embedded password, split off so it is kept as a secret and never saved in plain text. */
export function splitUrlPassword(profile: Profile): { profile: Profile; password?: string } {
  if (!profile.url) return { profile };
  let parsed: URL;
  try {
    parsed = new URL(profile.url);
  } catch {
    return { profile }; // the engine reports malformed URLs with a proper message when connecting
  }
  if (!parsed.password) return { profile };
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  return { profile: { ...profile, url: parsed.toString() }, password };
}
