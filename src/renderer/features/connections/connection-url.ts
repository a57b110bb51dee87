/** A postgres:// URL's fields, as the engine read them, turned into the connection form's fields. */
import type { ResponseOf, SslMode } from '../../../shared/contract';

export interface ConnectionFields {
  host: string;
  port: string;
  user: string;
  database: string;
  password: string;
  sslMode: SslMode | '';
}

/** The form's fields for a URL the engine parsed (`profiles:parse-url`); the renderer reads no URL itself. */
export function formFieldsOfUrl(parsed: ResponseOf<'profiles:parse-url'>): ConnectionFields {
  return {
    host: parsed.host,
    port: String(parsed.port),
    user: parsed.user,
    database: parsed.database,
    password: parsed.password ?? '',
    sslMode: parsed.sslMode,
  };
}
