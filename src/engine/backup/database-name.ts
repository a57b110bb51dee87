/** What Stepstone accepts as the name of a database it creates or restores into. */
import { StepstoneError } from '../errors';

/** PostgreSQL keeps the first 63 bytes of a name (NAMEDATALEN - 1) and silently cuts the rest. */
export const MAX_DATABASE_NAME_BYTES = 63;

/** Characters that make a "name" a URL, a path or a host instead (never a database Stepstone creates). */
const NOT_IN_A_NAME = /[/\\:@?#"]/;

/** Throws INVALID_INPUT naming what is wrong with `name` as a database name. */
export function checkDatabaseName(name: string): void {
  const problem =
    name === ''
      ? 'it is empty'
      : name.trim() !== name
        ? 'it starts or ends with a space'
        : /[\u0000-\u001f\u007f]/.test(name)
          ? 'it holds a control character'
          : Buffer.byteLength(name, 'utf8') > MAX_DATABASE_NAME_BYTES
            ? `it is ${Buffer.byteLength(name, 'utf8')} bytes long (PostgreSQL keeps ${MAX_DATABASE_NAME_BYTES})`
            : NOT_IN_A_NAME.test(name)
              ? `it holds "${name.match(NOT_IN_A_NAME)![0]}"`
              : null;
  if (problem) {
    const shown = name.length > 80 ? `${name.slice(0, 80)}…` : name;
    throw new StepstoneError('INVALID_INPUT', `"${shown}" is not a valid database name: ${problem}.`, {
      hint: 'Give a name such as app_restored, or a whole URL on the same server (postgres://user@host:5432/app_restored).',
    });
  }
}
