/** Read a postgres:// URL into the connection form's fields (the password stays out of the profile). */
import { SslMode } from '../../../shared/contract';

export interface ConnectionFields {
  host: string;
  port: string;
  user: string;
  database: string;
  password: string;
  sslMode: SslMode | '';
}

const sslModes: readonly SslMode[] = SslMode.options;

/** Parse a URL, or explain in plain words why it is not one. */
export function parseConnectionUrl(text: string): { ok: true; fields: ConnectionFields } | { ok: false; message: string } {
  const trimmed = text.trim();
  if (!/^postgres(ql)?:\/\//i.test(trimmed)) {
    return { ok: false, message: 'A connection URL starts with postgres:// or postgresql://, e.g. postgres://user@host:5432/database' };
  }
  let url: URL;
  try {
    // URL does not know the postgres scheme's authority rules; parse it as http to get them.
    url = new URL(trimmed.replace(/^postgres(ql)?:/i, 'http:'));
  } catch {
    return { ok: false, message: 'That URL could not be read: check for spaces or an unescaped @ or : in the password.' };
  }
  const ssl = url.searchParams.get('sslmode') ?? (url.searchParams.get('ssl') === 'true' ? 'require' : '');
  return {
    ok: true,
    fields: {
      host: decodeURIComponent(url.hostname),
      port: url.port || '5432',
      user: decodeURIComponent(url.username),
      database: decodeURIComponent(url.pathname.replace(/^\//, '')),
      password: decodeURIComponent(url.password),
      sslMode: (sslModes as readonly string[]).includes(ssl) ? (ssl as SslMode) : '',
    },
  };
}
