/**
 * Links the desktop app may hand to the user's browser (`shell.openExternal`): https URLs on the
 * hosts the app links to, nothing else. A link to a new site needs its host added here.
 */
export const EXTERNAL_LINK_HOSTS: readonly string[] = ['knexjs.org', 'www.postgresql.org'];

/** Is `url` an https link, without credentials or an unusual port, to one of EXTERNAL_LINK_HOSTS? */
export function isAllowedExternalLink(url: string, hosts: readonly string[] = EXTERNAL_LINK_HOSTS): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === 'https:' && parsed.username === '' && parsed.password === '' && parsed.port === '' && hosts.includes(parsed.hostname);
}
