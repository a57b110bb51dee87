/** Passwords given on the command line: `ps` shows every process's arguments to every local user. */
import { parsePostgresUrl, urlHasPassword } from './postgres-url';

/** The warning for a URL passed as `flag` that carries a password (in its user part or a password parameter), or null. */
export function commandLinePasswordWarning(url: string, flag = '--db'): string | null {
  try {
    parsePostgresUrl(url);
  } catch {
    return null; // a malformed URL (a broken escape too) gets its own error, alone
  }
  if (!urlHasPassword(url)) return null;
  return `Warning: the password in ${flag} can be read by every user of this machine (ps shows command lines) for as long as Stepstone runs. Keep it out of the URL: set PGPASSWORD, add it to ~/.pgpass (host:port:database:user:password, mode 0600), or put it in a knexfile.`;
}
