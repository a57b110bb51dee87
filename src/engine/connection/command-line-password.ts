/** Passwords given on the command line: `ps` shows every process's arguments to every local user. */

/** The warning for a URL passed as `flag` that carries a password (in its user part or a password parameter), or null. */
export function commandLinePasswordWarning(url: string, flag = '--db'): string | null {
  let carries: boolean;
  try {
    const u = new URL(url);
    decodeURIComponent(u.password); // a broken escape gets its own error, alone
    carries = u.password !== '' || u.searchParams.has('password');
  } catch {
    return null; // a malformed URL gets its own error
  }
  if (!carries) return null;
  return `Warning: the password in ${flag} can be read by every user of this machine (ps shows command lines) for as long as Stepstone runs. Keep it out of the URL: set PGPASSWORD, add it to ~/.pgpass (host:port:database:user:password, mode 0600), or put it in a knexfile.`;
}
